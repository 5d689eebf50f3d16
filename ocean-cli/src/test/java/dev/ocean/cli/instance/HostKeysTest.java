package dev.ocean.cli.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The Ocean-managed known-hosts file: one line per endpoint, the server's report replaces it. */
class HostKeysTest {
  static final String KEY_A =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIak9hwix0Q3gjIcYOPFNMwveKiYTJo2Tu05rBscIB6z";
  static final String KEY_B =
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCgLVdRy+a29ZKxFsQlq1N3Zso06Cyba8xkhEVP/iK904v1t6LVeLZ1r7oAiEzkJR/pSaLouIZ/WxJRT6OdJYss=";

  @TempDir Path dir;

  @Test
  void aChangedReportReplacesOnlyThatEndpointsLineAndTheFileStaysPrivate() throws Exception {
    HostKeys keys = new HostKeys(dir.resolve("ocean").resolve("known_hosts"));
    keys.pin("10.0.0.5", 30022, KEY_A + " root@one");
    keys.pin("10.0.0.6", 30022, KEY_A);
    keys.pin("10.0.0.5", 30022, KEY_B);

    assertEquals(
        List.of("[10.0.0.6]:30022 " + KEY_A, "[10.0.0.5]:30022 " + KEY_B),
        Files.readAllLines(keys.file()));
    assertEquals(
        "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(keys.file())));
  }

  @Test
  void fingerprintReadsLikeSshKeygen() {
    assertEquals(
        "ssh-ed25519 SHA256:DaWynevzjXgD6sAIbFtkPdcbMf3if9yglTr0mQHtVHo",
        HostKeys.fingerprint(KEY_A + " comment"));
  }
}
