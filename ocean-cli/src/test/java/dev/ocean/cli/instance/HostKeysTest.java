package dev.ocean.cli.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Ocean-managed known-hosts file: one line per instance, the server's report replaces it. */
class HostKeysTest {
  static final String KEY_A =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIak9hwix0Q3gjIcYOPFNMwveKiYTJo2Tu05rBscIB6z";
  static final String KEY_B =
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCgLVdRy+a29ZKxFsQlq1N3Zso06Cyba8xkhEVP/iK904v1t6LVeLZ1r7oAiEzkJR/pSaLouIZ/WxJRT6OdJYss=";

  @TempDir Path dir;

  @Test
  void oneLinePerInstanceHoweverItsPortChangesAndTheFileStaysPrivate() throws Exception {
    Path file = dir.resolve("ocean").resolve("known_hosts");
    // what an older CLI left: a line per published port (the last one with the key box gets later)
    Files.createDirectories(file.getParent());
    Files.writeString(
        file,
        "[10.0.0.5]:30022 "
            + KEY_A
            + "\n[10.0.0.5]:30031 "
            + KEY_A
            + "\n[10.0.0.6]:30022 "
            + KEY_B
            + "\n");
    HostKeys keys = new HostKeys(file);
    String box = HostKeys.alias("box", "ada@example.com");
    keys.pin(box, KEY_A + " root@one");
    keys.pin(HostKeys.alias("box", "bob@example.com"), KEY_A);
    keys.pin(box, KEY_A);
    keys.pin(box, KEY_B); // recreated with a new key: the server's report replaces the line

    assertEquals("ocean-box.ada_example.com", box);
    assertEquals(
        List.of("ocean-box.bob_example.com " + KEY_A, "ocean-box.ada_example.com " + KEY_B),
        Files.readAllLines(keys.file()));
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.file())));
  }

  @Test
  void aHostKeyRefusalIsExplainedOnlyWhenSshSaysSo() {
    SshStderr refused = new SshStderr();
    java.io.StringWriter shown = new java.io.StringWriter();
    refused.pump(
        new java.io.ByteArrayInputStream(
            "@@@ WARNING: REMOTE HOST IDENTIFICATION HAS CHANGED! @@@\nHost key verification failed.\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        shown);
    assertTrue(shown.toString().contains("Host key verification failed."), "ssh's words pass");
    assertTrue(refused.hostKeyRefused(255));
    SshStderr other = new SshStderr();
    other.pump(
        new java.io.ByteArrayInputStream(
            "ssh: connect to host 10.0.0.5 port 30022: Connection refused\n"
                .getBytes(java.nio.charset.StandardCharsets.UTF_8)),
        new java.io.StringWriter());
    assertTrue(!other.hostKeyRefused(255));
    assertTrue(SshStderr.explain("box").contains("`ocean instance ssh box` again"));
  }

  @Test
  void fingerprintReadsLikeSshKeygen() {
    assertEquals(
        "ssh-ed25519 SHA256:DaWynevzjXgD6sAIbFtkPdcbMf3if9yglTr0mQHtVHo",
        HostKeys.fingerprint(KEY_A + " comment"));
  }
}
