package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean node add} by a user who is not an admin is refused at once, before the release is
 * packed or an SSH session opened (QA F43: it used to take 25 s to say so).
 */
class NodeAddNeedsAdminTest {
  @TempDir Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aPlainUserIsRefusedBeforeAnyConnection() {
    Ocean ada = cluster.user("ada@example.com");
    Run r =
        ada.ocean(
            "node",
            "add",
            "root@127.0.0.1",
            "--port",
            "9",
            "--name",
            "n9",
            "--release-dir",
            dir.resolve("no-release").toString());
    assertEquals(4, r.exit(), r.err());
    assertEquals("Error: this needs an admin account.\n", r.err());
  }
}
