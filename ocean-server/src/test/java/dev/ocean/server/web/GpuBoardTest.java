package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.node.GpuHours;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.time.Clock;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;
import org.openqa.selenium.By;

/**
 * The GPU board: who holds which GPU, held-but-idle GPUs flagged, waiting work with its reason, and
 * GPU-hours per user computed from the runs.
 */
class GpuBoardTest {
  @TempDir Path dir;

  private static void heartbeat(ScriptedCluster c, int utilisationOfGpu0) {
    List<GpuSample> samples =
        List.of(
            new GpuSample(
                0, "GPU-0", utilisationOfGpu0, 0, 1200, 81559, 40, 80.0, 700.0, null, null),
            new GpuSample(1, "GPU-1", 0, 0, 0, 81559, 35, 60.0, 700.0, null, null));
    List<GpuInfo> gpus =
        IntStream.range(0, 2)
            .mapToObj(i -> new GpuInfo(i, "GPU-" + i, "H100", 81559, null))
            .toList();
    NodeFacts facts =
        new NodeFacts("n1", "Linux", "amd64", "cpu", 8, 64L << 30, List.of(), gpus, null);
    c.node.post(
        "/agent/heartbeat",
        new Heartbeat(
            new NodeMetrics(
                System.currentTimeMillis(),
                12.0,
                0.5,
                0.5,
                0.5,
                8L << 30,
                64L << 30,
                0L,
                0L,
                samples),
            facts,
            java.util.List.of()),
        Heartbeat.Ack.class);
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void gpuHoursCountEachRunsGpusTimesItsRunningTimeInsideThePeriod(TestStorage storage)
      throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      heartbeat(c, 50);
      Job job = c.submit("train", null, 1);
      Assignment a = c.next();
      c.report(a.runId(), "running", null);
      long started = c.job(job.id()).runs().getFirst().startedAt().toEpochMilli();
      var hours = new GpuHoursController(c.server.database().jdbi(), Clock.systemUTC());
      long hour = 3_600_000;

      assertEquals(
          List.of(new GpuHours("admin@example.com", 2.0, 1)),
          hours.hours(started - hour, started + 10 * hour, started + 2 * hour),
          "a run still going counts up to now: 1 GPU for 2 hours");
      assertEquals(
          List.of(new GpuHours("admin@example.com", 1.0, 1)),
          hours.hours(started + hour, started + 10 * hour, started + 2 * hour),
          "only the part inside the period counts");
      assertEquals(List.of(), hours.hours(started - 2 * hour, started - hour, started + hour));
    }
  }

  @Test
  void theBoardShowsHoldersFlagsIdleGpusAndSaysWhyWorkWaits() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      heartbeat(c, 0);
      Job first = c.submit("train", null, 1);
      c.report(c.next().runId(), "running", null);
      c.submit("second", null, 1);
      c.report(c.next().runId(), "running", null);
      Job waiting = c.submit("third", null, 1);
      assertEquals("pending", c.job(waiting.id()).state());
      heartbeat(c, 1);
      try (Browser b = new Browser(c.server.url(), "board", "en")) {
        b.open("login");
        b.type("#login-email", "admin@example.com");
        b.type("#login-password", "Admin123!x");
        b.click("#login-submit");
        b.find("#logout");
        b.click("#tab-board");
        b.untilText("#gpu-grid", "held by admin@example.com");
        b.find("#gpu-grid .gpu.idle");
        b.untilText("#gpu-grid", "held but idle");
        b.untilText("#board-pending", "#" + waiting.id() + "/0");
        String reason = c.job(waiting.id()).runs().getFirst().waitReason();
        assertTrue(reason != null && !reason.isBlank(), "the server says why it waits");
        b.untilText("#board-pending", reason);
        b.untilText("#gpu-hours-table", "admin@example.com");
        b.shot("gpu-board");
        assertEquals(
            2, b.driver.findElements(By.cssSelector("#gpu-grid .gpu.held")).size(), "two held");
        assertTrue(first.id() > 0);
      }
    }
  }
}
