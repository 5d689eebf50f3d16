package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `volume list` and `volume get` show how much of each volume is used; unknown users are 3. */
class VolumeUsageCliTest {
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
  void listAndGetShowTheUsedColumnAfterTheServerMeasured() throws Exception {
    Ocean ada = cluster.user("ada@example.com");
    ada.ocean("volume", "create", "data", "--size", "1").ok();
    Path files;
    try (var found = Files.find(cluster.storageRoot(), 3, (p, a) -> p.endsWith("data"))) {
      files = found.findFirst().orElseThrow();
    }
    try (var f = new RandomAccessFile(files.resolve("big.bin").toFile(), "rw")) {
      f.setLength(3L << 29); // 1.5 GiB, sparse
    }
    cluster.server.volumes().usage().refresh();

    String list = ada.ocean("volume", "list").ok().out();
    assertTrue(list.contains("USED") && list.contains("1.5 GiB"), list);
    String get = ada.ocean("volume", "get", "data").ok().out();
    assertTrue(get.contains("1.5 GiB") && get.contains("1 GiB"), get);
    String why =
        ada.ocean(
                "job",
                "submit",
                "--name",
                "j",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "--volume",
                "data",
                "--",
                "true")
            .failsWithOneLine(5);
    assertTrue(why.contains("over its 1 GiB size (1.5 GiB used)"), why);
  }

  @Test
  void grantingAQuotaToAnUnknownUserExitsNotFound() {
    String why =
        cluster
            .admin()
            .ocean(
                "admin",
                "quota",
                "grant",
                "nobody@example.com",
                "--machine-type",
                "g1.small",
                "--count",
                "1",
                "--days",
                "1")
            .failsWithOneLine(3);
    assertTrue(why.contains("nobody@example.com"), why);
  }
}
