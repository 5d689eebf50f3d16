package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean admin backup} as the rescue of a data directory deleted under a running server saves
 * the database, and says on stderr that the started runs' logs could not be saved rather than only
 * "Backed up N bytes" (qa8 Q6).
 */
class AdminBackupRescueTest {
  @TempDir Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    cluster.user("ada@example.com");
    cluster.grant("ada@example.com", "g1.small", 1, 1);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void aRescueOfADeletedDataDirectorySaysTheRunLogsAreLost() throws IOException {
    FakeAgent node = new FakeAgent(cluster, "gpu1");
    cluster
        .as("ada@example.com")
        .ocean(
            "job",
            "submit",
            "-q",
            "--name",
            "j",
            "--machine-type",
            "g1.small",
            "--image",
            "pytorch",
            "--",
            "echo",
            "hi")
        .ok();
    node.running(node.next(), null);

    Run whole = cluster.admin().ocean("admin", "backup", "--to", dir.resolve("full").toString());
    assertEquals(0, whole.exit(), whole.toString());
    assertTrue(!whole.err().contains("Warning"), "nothing is lost yet: " + whole.err());

    deleteTree(dir.resolve("data"));
    Run rescue = cluster.admin().ocean("admin", "backup", "--to", dir.resolve("rescue").toString());

    assertEquals(0, rescue.exit(), "the database is saved: " + rescue);
    assertTrue(Files.isRegularFile(dir.resolve("rescue").resolve("ocean.db")), rescue.toString());
    assertTrue(
        rescue
            .err()
            .endsWith(
                "Warning: run logs: 0 of 1 run's log could be saved (the server's data directory"
                    + " is gone).\n"),
        rescue.err());
  }

  /**
   * Deletes the tree as a user's {@code rm -rf} would, while the server may still be removing the
   * staging files of the backup it just answered (a file listed can be gone a moment later): walks
   * again until nothing is left.
   */
  private static void deleteTree(Path root) throws IOException {
    for (int attempt = 0; Files.exists(root); attempt++) {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (java.io.UncheckedIOException | java.nio.file.DirectoryNotEmptyException e) {
        if (attempt >= 20) {
          throw e;
        }
      }
    }
  }
}
