package dev.ocean.server.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Volume;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code PATCH /volumes/NAME} gives a volume a new size, never below what its files use. */
class VolumeResizeTest {
  private static final long GIB = 1L << 30;

  @TempDir Path dir;

  @Test
  void aVolumeJustOverItsSizeIsNamedAsSuchAndGrowsButDoesNotShrinkBelowItsFiles() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      c.admin.post("/volumes", new Volume.Create("small", 1), Volume.class);
      Path files = dir.resolve("storage").resolve(VolumeService.relativePath(1, "small"));
      try (var f = new RandomAccessFile(files.resolve("big.bin").toFile(), "rw")) {
        f.setLength(GIB + (1 << 20)); // 1 GiB and 1 MiB, sparse
      }
      c.server.volumes().usage().refresh();

      var over = assertThrows(OceanApiException.class, () -> c.submit("j", "small", 1));
      assertTrue(
          over.problem()
              .detail()
              .startsWith(
                  "volume small is over its 1 GiB size (1.1 GiB used); free space on it, or"
                      + " `ocean volume resize small --size 2`"),
          over.problem().detail());

      var shrink =
          assertThrows(
              OceanApiException.class,
              () -> c.admin.patch("/volumes/small", new Volume.Resize(1), Volume.class));
      assertEquals(409, shrink.status());
      assertEquals("sizeGib", shrink.problem().field());
      assertEquals(
          "volume small uses 1.1 GiB, more than 1 GiB; free space on it first or give it a size"
              + " of at least 2 GiB",
          shrink.problem().detail());

      var bad =
          assertThrows(
              OceanApiException.class,
              () -> c.admin.patch("/volumes/small", new Volume.Resize(null), Volume.class));
      assertEquals(400, bad.status());
      assertEquals("sizeGib", bad.problem().field());

      assertEquals(
          2, c.admin.patch("/volumes/small", new Volume.Resize(2), Volume.class).sizeGib());
      assertEquals("small", c.submit("fits", "small", 1).volume());

      Files.delete(files.resolve("big.bin"));
      c.server.volumes().usage().refresh();
      assertEquals(
          1, c.admin.patch("/volumes/small", new Volume.Resize(1), Volume.class).sizeGib());
    }
  }
}
