package dev.ocean.server.volume;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.Volume;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Volumes show what their files take, and new work is refused on a volume over its size. */
class VolumeUsageTest {
  private static final long GIB = 1L << 30;

  @TempDir Path dir;

  @Test
  void aVolumeWrittenPastItsSizeShowsItsUsageAndRefusesNewJobsUntilSpaceIsFreed() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      c.admin.post("/volumes", new Volume.Create("small", 1), Volume.class);
      assertEquals(0L, c.admin.get("/volumes/small", Volume.class).usedBytes());
      Path files = dir.resolve("storage").resolve(VolumeService.relativePath(1, "small"));
      Files.createDirectories(files.resolve("sub"));
      try (var f = new RandomAccessFile(files.resolve("sub/big.bin").toFile(), "rw")) {
        f.setLength(GIB + GIB / 2); // sparse: 1.5 GiB of apparent size, no disk
      }
      Files.writeString(files.resolve("note.txt"), "hi");
      c.server.volumes().usage().refresh();

      Volume listed = c.admin.get("/volumes", new TypeReference<List<Volume>>() {}).getFirst();
      assertEquals(GIB + GIB / 2 + 2, listed.usedBytes());
      assertEquals(listed.usedBytes(), c.admin.get("/volumes/small", Volume.class).usedBytes());
      var e = assertThrows(OceanApiException.class, () -> c.submit("big", "small", 1));
      assertEquals(409, e.status());
      assertEquals("volume", e.problem().field());
      assertTrue(
          e.problem()
              .detail()
              .startsWith("volume small is over its 1 GiB size (1.5 GiB used); free space"),
          e.problem().detail());

      Files.delete(files.resolve("sub/big.bin"));
      c.server.volumes().usage().refresh();
      assertEquals(2L, c.admin.get("/volumes/small", Volume.class).usedBytes());
      Job ok = c.submit("fits", "small", 1);
      assertEquals("small", ok.volume());
    }
  }

  @Test
  void aSymbolicLinkOutOfTheVolumeIsNotFollowed() throws Exception {
    Path outside = Files.createDirectories(dir.resolve("outside"));
    Files.write(outside.resolve("data"), new byte[4096]);
    Path vol = Files.createDirectories(dir.resolve("vol"));
    Files.write(vol.resolve("own"), new byte[10]);
    Files.createSymbolicLink(vol.resolve("escape"), outside);
    long used = VolumeUsage.measure(vol);
    assertTrue(used < 4096, "counted only the volume's own files and the link itself: " + used);
  }
}
