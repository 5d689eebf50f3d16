package dev.ocean.server.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanApiException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server's data directory on a disk that fills up: a log chunk that does not fit is answered
 * with a problem (the agent sends it again later), health says the disk is full, and once space
 * returns the retried chunk lands with no byte lost or doubled.
 */
class DiskFullTest {
  @TempDir Path dir;

  @Test
  void logChunkOnAFullDiskIsRefusedAndLandsExactlyOnceWhenSpaceReturns() throws Exception {
    Path data = dir.resolve("data");
    try (SmallDisk disk = SmallDisk.mount(data, "4m")) {
      try (ScriptedCluster cluster =
          ScriptedCluster.start(data, c -> c.dataCheckInterval(Duration.ofHours(1)))) {
        Job job = cluster.submit("chatty");
        String runId = cluster.poll(List.of()).start().getFirst().runId();
        byte[] first = "first line\n".getBytes(StandardCharsets.UTF_8);
        assertEquals(first.length, cluster.ship(runId, 0, first));
        Path spare = data.resolve("spare");
        Files.write(spare, new byte[8192]);
        disk.fill(data.resolve("filler"));
        Files.delete(spare); // two pages free: the next chunk is written only in part

        byte[] big = new byte[256 * 1024];
        Arrays.fill(big, (byte) 'x');
        big[big.length - 1] = '\n';
        OceanApiException full =
            assertThrows(OceanApiException.class, () -> cluster.ship(runId, first.length, big));
        assertEquals(507, full.status(), full.getMessage());
        assertTrue(full.getMessage().contains("disk is full"), full.getMessage());

        Files.delete(data.resolve("filler"));
        assertEquals(first.length + big.length, cluster.ship(runId, first.length, big));
        String log = ScriptedCluster.log(cluster.admin, job.id(), 0);
        assertEquals(
            new String(first, StandardCharsets.UTF_8) + new String(big, StandardCharsets.UTF_8),
            log);
      }
    }
  }

  @Test
  void fullDiskFailsHealthAndRecoversWhenSpaceReturns() throws Exception {
    Path data = dir.resolve("data");
    try (SmallDisk disk = SmallDisk.mount(data, "4m")) {
      try (ScriptedCluster cluster =
          ScriptedCluster.start(data, c -> c.dataCheckInterval(Duration.ofMillis(100)))) {
        String health = cluster.server.url() + "/api/v1/health";
        disk.fill(data.resolve("filler"));

        Http.waitUntil(
            10, "health reports the full disk", () -> Http.get(health).statusCode() == 503);
        assertTrue(Http.get(health).body().contains("is full"), Http.get(health).body());
        OceanApiException refused =
            assertThrows(OceanApiException.class, () -> cluster.submit("while full"));
        assertEquals(503, refused.status());

        Files.delete(data.resolve("filler"));
        Http.waitUntil(10, "health recovers", () -> Http.get(health).statusCode() == 200);
        cluster.submit("after");
      }
    }
  }
}
