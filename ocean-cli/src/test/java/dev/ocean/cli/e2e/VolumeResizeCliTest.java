package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Volume;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A volume written past its size can be grown with {@code ocean volume resize}, which the refusal
 * of new work names, so a cluster without instances has a way out besides delete (qa6 H14).
 */
class VolumeResizeCliTest {
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

  private Run submit(Ocean user) {
    return user.ocean(
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
        "true");
  }

  @Test
  void anOverSizeVolumeIsGrownWithTheCommandTheRefusalNames() throws Exception {
    Ocean ada = cluster.user("ada@example.com");
    cluster.grant("ada@example.com", "g1.small", 1, 1);
    ada.ocean("volume", "create", "data", "--size", "1").ok();
    Path files;
    try (var found = Files.find(cluster.storageRoot(), 3, (p, a) -> p.endsWith("data"))) {
      files = found.findFirst().orElseThrow();
    }
    try (var f = new RandomAccessFile(files.resolve("big.bin").toFile(), "rw")) {
      f.setLength(3L << 29); // 1.5 GiB, sparse
    }
    cluster.server.volumes().usage().refresh();

    String refused = submit(ada).failsWithOneLine(5);
    assertTrue(refused.contains("`ocean volume resize data --size 2`"), refused);

    String tooSmall = ada.ocean("volume", "resize", "data", "--size", "1").failsWithOneLine(5);
    assertTrue(tooSmall.contains("uses 1.5 GiB") && tooSmall.contains("at least 2 GiB"), tooSmall);

    Volume grown =
        ada.ocean("volume", "resize", "data", "--size", "2", "-o", "json").json(Volume.class);
    assertEquals(2, grown.sizeGib());
    assertEquals(2, ada.ocean("volume", "get", "data", "-o", "json").json(Volume.class).sizeGib());
    submit(ada).ok();

    String text = ada.ocean("volume", "resize", "data", "--size", "5").ok().err();
    assertTrue(text.contains("Volume data is now 5 GiB."), text);
  }

  @Test
  void badSizesUnknownVolumesAndOtherUsersVolumesAreRefused() {
    Ocean ada = cluster.user("ada@example.com");
    Ocean bob = cluster.user("bob@example.com");
    ada.ocean("volume", "create", "data", "--size", "1").ok();

    String zero = ada.ocean("volume", "resize", "data", "--size", "0").failsWithOneLine(2);
    assertTrue(zero.contains("--size"), zero);
    String huge = ada.ocean("volume", "resize", "data", "--size", "100001").failsWithOneLine(2);
    assertTrue(huge.contains("--size"), huge);
    String missing = ada.ocean("volume", "resize", "nope", "--size", "2").failsWithOneLine(3);
    assertTrue(missing.contains("nope"), missing);
    bob.ocean("volume", "resize", "data", "--size", "2").failsWithOneLine(3);
    assertEquals(1, ada.ocean("volume", "get", "data", "-o", "json").json(Volume.class).sizeGib());

    String help = ada.ocean("volume", "resize", "--help").ok().out();
    assertTrue(help.contains("--size"), help);
  }
}
