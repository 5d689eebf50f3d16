package dev.ocean.cli.sshconfig;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ocean ssh-config} leaves in a home directory, run once, twice and undone. */
class SshConfigFilesTest {
  private static final String KEY = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIHhUXuq5nL8cQ1p2m4Yw";

  @TempDir Path home;

  @Test
  void aMissingSshConfigIsCreatedPrivateWithTheIncludeOnly() throws Exception {
    SshConfigFiles files = new SshConfigFiles(home);
    files.write(
        List.of(new SshConfigFiles.Entry("box", KEY + " root@box")), "/opt/ocean/bin/ocean");

    assertEquals("Include ~/.ssh/ocean/config\n", Files.readString(files.userConfig()));
    for (Path f : List.of(files.userConfig(), files.oceanConfig(), files.knownHosts())) {
      assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(f)));
    }
    String config = Files.readString(files.oceanConfig());
    assertTrue(
        config.contains(
            """
            Host ocean-box
              HostName ocean-box
              User linuxbrew
              ProxyCommand /opt/ocean/bin/ocean instance proxy box
              UserKnownHostsFile ~/.ssh/ocean/known_hosts
              StrictHostKeyChecking yes
              HostKeyAlias ocean-box
            """),
        config);
    assertEquals("ocean-box " + KEY + "\n", Files.readString(files.knownHosts()));
  }

  @Test
  void aKeyPinnedBeforeTheInstanceWasCreatedAgainIsTold() throws Exception {
    SshConfigFiles files = new SshConfigFiles(home);
    String newKey = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIAnotherKeyOfTheNewBox0";
    assertFalse(files.pinsAnotherKey("box", newKey), "nothing pinned before ssh-config ran");
    files.write(List.of(new SshConfigFiles.Entry("box", KEY)), "ocean");
    assertFalse(files.pinsAnotherKey("box", KEY + " root@box"), "the same key, comment aside");
    assertTrue(files.pinsAnotherKey("box", newKey), "the instance was created again");
    assertFalse(files.pinsAnotherKey("other", newKey), "an instance ssh-config never saw");
  }

  @Test
  void theIncludeGoesOnTopOnceHoweverOftenItRuns() throws Exception {
    SshConfigFiles files = new SshConfigFiles(home);
    Files.createDirectories(files.userConfig().getParent());
    Files.writeString(files.userConfig(), "Host work\n  User me\n");

    files.write(List.of(new SshConfigFiles.Entry("a", KEY)), "ocean");
    files.write(List.of(new SshConfigFiles.Entry("b", KEY)), "ocean");

    assertEquals(
        "Include ~/.ssh/ocean/config\n\nHost work\n  User me\n",
        Files.readString(files.userConfig()));
    String config = Files.readString(files.oceanConfig());
    assertTrue(config.contains("Host ocean-b\n"), "a re-run refreshes the entries");
    assertFalse(config.contains("ocean-a"), config);
  }

  @Test
  void namesAndKeysThatCouldInjectConfigAreLeftOut() throws Exception {
    SshConfigFiles files = new SshConfigFiles(home);
    files.write(
        List.of(
            new SshConfigFiles.Entry("evil\n  ProxyCommand sh", KEY),
            new SshConfigFiles.Entry("no-key", null),
            new SshConfigFiles.Entry("bad-key", "ssh-ed25519 not\nbase64"),
            new SshConfigFiles.Entry("ok", KEY)),
        "/path with space/ocean");

    String config = Files.readString(files.oceanConfig());
    assertEquals(1, config.split("\nHost ", -1).length - 1, config);
    assertTrue(config.contains("ProxyCommand \"/path with space/ocean\" instance proxy ok\n"));
    assertEquals("ocean-ok " + KEY + "\n", Files.readString(files.knownHosts()));
  }

  @Test
  void removeTakesOutOnlyWhatItAdded() throws Exception {
    SshConfigFiles files = new SshConfigFiles(home);
    Files.createDirectories(files.userConfig().getParent());
    Files.writeString(files.userConfig(), "Host work\n  User me\n");
    files.write(List.of(new SshConfigFiles.Entry("box", KEY)), "ocean");

    files.remove();

    assertEquals("Host work\n  User me\n", Files.readString(files.userConfig()));
    assertFalse(Files.exists(files.oceanConfig()));
    assertFalse(Files.exists(files.knownHosts()));
  }

  @Test
  void removeDeletesTheSshConfigItCreatedButNeverOneTheUserHad() throws Exception {
    SshConfigFiles files = new SshConfigFiles(home);
    files.write(List.of(new SshConfigFiles.Entry("box", KEY)), "ocean");
    files.write(List.of(new SshConfigFiles.Entry("box", KEY)), "ocean");
    files.remove();
    assertFalse(Files.exists(files.userConfig()), "no empty ~/.ssh/config is left behind");

    files.write(List.of(new SshConfigFiles.Entry("box", KEY)), "ocean");
    Files.writeString(files.userConfig(), "Host work\n  User me\n", StandardOpenOption.APPEND);
    files.remove();
    assertEquals(
        "Host work\n  User me\n",
        Files.readString(files.userConfig()),
        "what the user added stays");

    Files.writeString(files.userConfig(), "");
    files.write(List.of(new SshConfigFiles.Entry("box", KEY)), "ocean");
    files.remove();
    assertTrue(Files.exists(files.userConfig()), "the user's own (empty) file is theirs");
  }
}
