package dev.ocean.server.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.client.OceanApiException;
import java.io.IOException;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Comparator;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A data directory deleted (or its database replaced) under a running server: the server notices
 * within its check interval, fails its health check with the reason and refuses every change with
 * 503, instead of acknowledging jobs that the next start would not know.
 */
class DataDirLossTest {
  @TempDir Path dir;
  private ScriptedCluster cluster;

  @AfterEach
  void stop() {
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void deletedDataDirectoryFailsHealthAndRefusesChanges() throws Exception {
    Path data = dir.resolve("data");
    cluster = ScriptedCluster.start(data, c -> c.dataCheckInterval(Duration.ofMillis(100)));
    cluster.submit("before");
    assertEquals(200, health().statusCode());

    deleteTree(data);

    Http.waitUntil(10, "/api/v1/health fails", () -> health().statusCode() == 503);
    HttpResponse<String> h = health();
    assertEquals("application/problem+json", h.headers().firstValue("Content-Type").orElse(""));
    assertTrue(h.body().contains("data directory") && h.body().contains("gone"), h.body());
    OceanApiException refused =
        assertThrows(OceanApiException.class, () -> cluster.submit("after"));
    assertEquals(503, refused.status());
    assertTrue(refused.getMessage().contains("nothing was changed"), refused.getMessage());
  }

  @Test
  void anAdminRescuesTheDatabaseOfADeletedDataDirectoryWithABackup() throws Exception {
    Path data = dir.resolve("data");
    cluster = ScriptedCluster.start(data, c -> c.dataCheckInterval(Duration.ofMillis(100)));
    long before = cluster.submit("before").id();
    deleteTree(data);
    Http.waitUntil(10, "/api/v1/health fails", () -> health().statusCode() == 503);

    Path backup = dir.resolve("rescue");
    Files.createDirectories(backup);
    try (var in = cluster.admin.stream("/admin/backup");
        var zip = new java.util.zip.ZipInputStream(in)) {
      for (var e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        Path f = backup.resolve(e.getName());
        Files.createDirectories(f.getParent());
        Files.copy(zip, f);
      }
    }
    assertTrue(!Files.exists(data), "the backup did not recreate the deleted data directory");
    cluster.close();
    cluster = null;

    Path restored = dir.resolve("restored");
    dev.ocean.server.backup.Restore.into(backup, restored);
    try (var server = ScriptedCluster.startServer(restored, c -> c)) {
      var job =
          ScriptedCluster.login(server.url())
              .get("/jobs/" + before, dev.ocean.common.api.job.Job.class);
      assertEquals("before", job.name(), "the job acknowledged before the loss is back");
    }
  }

  @Test
  void replacedDatabaseFileFailsHealthAndRefusesChanges() throws Exception {
    Path data = dir.resolve("data");
    cluster = ScriptedCluster.start(data, c -> c.dataCheckInterval(Duration.ofMillis(100)));
    Files.move(data.resolve("ocean.db"), data.resolve("ocean.db.moved"));
    Files.writeString(data.resolve("ocean.db"), "");

    Http.waitUntil(10, "/api/v1/health fails", () -> health().statusCode() == 503);
    assertTrue(health().body().contains("database file"), health().body());
    OceanApiException refused =
        assertThrows(OceanApiException.class, () -> cluster.submit("after"));
    assertEquals(503, refused.status());
  }

  private HttpResponse<String> health() {
    return Http.get(cluster.server.url() + "/api/v1/health");
  }

  /** {@code rm -rf}, again while the running server writes a file into the tree meanwhile. */
  static void deleteTree(Path root) throws IOException {
    for (int attempt = 0; Files.exists(root); attempt++) {
      try (Stream<Path> all = Files.walk(root)) {
        for (Path p : all.sorted(Comparator.reverseOrder()).toList()) {
          Files.deleteIfExists(p);
        }
      } catch (IOException | java.io.UncheckedIOException e) {
        if (attempt > 100) {
          throw new IOException("cannot delete " + root, e);
        }
      }
    }
  }
}
