package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ocean admin quota revoke} says what the revoke ended, or that it ended nothing. */
class QuotaRevokeTest {
  @TempDir Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void revokeSaysWhichPendingRunsItCancelledAndWhenNothingWasInUse() {
    Ocean ada = cluster.user("ada@example.com");
    cluster.grant("ada@example.com", "g1.small", 1, 1);
    String job =
        ada.ocean(
                "job",
                "submit",
                "-q",
                "--name",
                "rep",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "--repeat",
                "3",
                "--parallel",
                "1",
                "--",
                "true")
            .ok()
            .out()
            .strip();
    Ocean admin = cluster.admin();
    String quota = admin.ocean("admin", "quota", "list", "-q").ok().out().strip();
    Run r = admin.ocean("admin", "quota", "revoke", quota).ok();
    assertEquals(
        "notice: quota revoked: cancelled 3 pending run(s) of job "
            + job
            + "\nRevoked quota "
            + quota
            + ".",
        r.err().strip(),
        "the admin hears what the revoke ended");
    assertTrue(ada.ocean("job", "get", job).ok().out().contains("cancelled"));

    cluster.grant("ada@example.com", "g1.small", 1, 1);
    String unused = admin.ocean("admin", "quota", "list", "-q").ok().out().strip();
    Run idle = admin.ocean("admin", "quota", "revoke", unused).ok();
    assertEquals(
        "notice: nothing of ada@example.com's goes beyond the quota left\nRevoked quota "
            + unused
            + ".",
        idle.err().strip());
  }
}
