package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.sshconfig.SshConfigFiles;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean ssh-config} for a user with no instance writes nothing into {@code ~/.ssh} (an
 * Include line pointing at no host is clutter) and says how to get an instance; entries left from
 * earlier runs are removed.
 */
class SshConfigWithoutInstancesTest {
  @TempDir Path dir;
  private TestCluster cluster;
  private Path home;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir);
    home = Files.createDirectories(dir.resolve("ada"));
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private TestCluster.Run sshConfig() {
    return cluster.cli(Map.of("HOME", home.toString()), cluster.userToken, "ssh-config");
  }

  @Test
  void withNoInstanceNothingIsWrittenAndTheUserIsToldHowToCreateOne() {
    TestCluster.Run run = sshConfig().ok();

    assertEquals(
        "You have no instance, so there is no host to add. Create one with `ocean instance"
            + " create NAME --machine-type T --image I --volume V --reason R`, then run `ocean"
            + " ssh-config` again.",
        run.err().strip());
    assertFalse(Files.exists(home.resolve(".ssh")), "nothing written under ~/.ssh");
  }

  @Test
  void entriesLeftFromDeletedInstancesAreRemoved() throws Exception {
    Path ssh = Files.createDirectories(home.resolve(".ssh"));
    Files.writeString(ssh.resolve("config"), "Host work\n  User me\n");
    SshConfigFiles files = new SshConfigFiles(home);
    files.write(
        List.of(
            new SshConfigFiles.Entry(
                "gone", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOcean0000000000000000000000000000")),
        "ocean");
    assertTrue(Files.readString(files.userConfig()).contains("Include ~/.ssh/ocean/config"));

    TestCluster.Run run = sshConfig().ok();

    assertTrue(run.err().contains("removed Ocean's entries left from earlier"), run.err());
    assertEquals("Host work\n  User me\n", Files.readString(files.userConfig()));
    assertFalse(Files.exists(files.oceanConfig()), "no Host ocean-gone left");
  }
}
