package dev.ocean.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.node.DiskInfo;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Reads this machine's /proc; the checks hold on any Linux box, container or not. */
class ProcHostSourceTest {

  private static final Instant NOW = Instant.parse("2025-06-01T12:00:00Z");
  private final ProcHostSource source = new ProcHostSource(InstantSource.fixed(NOW));

  @Test
  void factsDescribeThisMachine() {
    NodeFacts facts = source.facts();

    assertNotNull(facts.cpuCores());
    assertTrue(facts.cpuCores() >= 1, "cores " + facts.cpuCores());
    assertNotNull(facts.memoryTotalBytes());
    assertTrue(facts.memoryTotalBytes() > 0);
    assertNotNull(facts.hostname());
    assertNotNull(facts.os());
    assertEquals(System.getProperty("os.arch"), facts.arch());
    assertEquals(List.of(), facts.gpus());
    for (DiskInfo disk : facts.disks()) {
      assertTrue(disk.totalBytes() > 0, disk.toString());
      assertTrue(disk.freeBytes() >= 0 && disk.freeBytes() <= disk.totalBytes(), disk.toString());
    }
  }

  @Test
  void metricsAreWithinTheirRanges() {
    source.sample();
    NodeMetrics metrics = source.sample();

    assertEquals(NOW.toEpochMilli(), metrics.timestampMs());
    assertNotNull(metrics.memoryTotalBytes());
    assertNotNull(metrics.memoryUsedBytes());
    assertTrue(metrics.memoryUsedBytes() > 0);
    assertTrue(metrics.memoryUsedBytes() <= metrics.memoryTotalBytes());
    if (metrics.cpuUtilisation() != null) {
      assertTrue(metrics.cpuUtilisation() >= 0 && metrics.cpuUtilisation() <= 100);
    }
    for (Double load : new Double[] {metrics.load1(), metrics.load5(), metrics.load15()}) {
      assertNotNull(load, "Linux always has load averages");
      assertTrue(load >= 0);
    }
    assertNotNull(metrics.networkRxBytes());
    assertTrue(metrics.networkRxBytes() >= 0 && metrics.networkTxBytes() >= 0);
    assertEquals(List.of(), metrics.gpus());
  }

  @Test
  void cpuUtilisationIsMeasuredOnceTimeHasPassed() throws InterruptedException {
    long deadline = System.nanoTime() + 5_000_000_000L;
    Double utilisation = source.sample().cpuUtilisation();
    // Ticks advance every few milliseconds; poll until one interval has been measured.
    while (utilisation == null && System.nanoTime() < deadline) {
      Thread.sleep(20);
      utilisation = source.sample().cpuUtilisation();
    }

    assertNotNull(utilisation);
    assertTrue(utilisation >= 0 && utilisation <= 100, "utilisation " + utilisation);
  }
}
