package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.node.NodeMetrics;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class MetricsHistoryTest {

  private static NodeMetrics at(long t) {
    return new NodeMetrics(t, 10.0, null, null, null, null, null, null, null, List.of());
  }

  @Test
  void keepsOnlyTheLatestCapacitySamplesOldestFirst() {
    MetricsHistory h = new MetricsHistory(3);
    for (long t = 1; t <= 10; t++) {
      h.add("box", at(t));
    }
    assertEquals(
        List.of(8L, 9L, 10L), h.history("box").stream().map(NodeMetrics::timestampMs).toList());
    assertEquals(10L, h.latest("box").orElseThrow().timestampMs());
  }

  @Test
  void nodesAreKeptApartAndForgotten() {
    MetricsHistory h = new MetricsHistory(5);
    h.add("a", at(1));
    h.add("b", at(2));
    assertEquals(1L, h.latest("a").orElseThrow().timestampMs());
    assertEquals(2L, h.latest("b").orElseThrow().timestampMs());
    h.forget("a");
    assertTrue(h.latest("a").isEmpty());
    assertEquals(List.of(), h.history("a"));
    assertTrue(h.latest("never-seen").isEmpty());
    assertEquals(1, h.history("b").size());
  }

  @Test
  void staysBoundedUnderConcurrentHeartbeats() throws Exception {
    MetricsHistory h = new MetricsHistory(50);
    CountDownLatch go = new CountDownLatch(1);
    try (ExecutorService pool = Executors.newFixedThreadPool(4)) {
      IntStream.range(0, 4)
          .forEach(
              w ->
                  pool.submit(
                      () -> {
                        go.await();
                        for (int i = 0; i < 2_000; i++) {
                          h.add("box", at(i));
                          h.history("box");
                        }
                        return null;
                      }));
      go.countDown();
    }
    assertEquals(50, h.history("box").size());
  }

  @Test
  void bigSamplesAreBoundedInBytesPerNodeAndOverall() {
    MetricsHistory h = new MetricsHistory(720, 1 << 20, 3 << 20);
    List<dev.ocean.common.api.node.GpuProcess> procs =
        java.util.Collections.nCopies(
            50, new dev.ocean.common.api.node.GpuProcess(1, "p".repeat(100), 1));
    List<dev.ocean.common.api.node.GpuSample> gpus =
        IntStream.range(0, 8)
            .mapToObj(
                i ->
                    new dev.ocean.common.api.node.GpuSample(
                        i, "GPU-" + i, 0, 0, 0, 1, 1, 1.0, 1.0, procs, null))
            .toList();
    for (int n = 0; n < 10; n++) {
      for (long t = 0; t < 720; t++) {
        h.add(
            "node-" + n, new NodeMetrics(t, null, null, null, null, null, null, null, null, gpus));
      }
    }

    assertTrue(h.bytesHeld() <= (3 << 20) + MetricsHistory.sizeOf(h.latest("node-9").get()));
    assertTrue(h.history("node-0").size() >= 1, "every node keeps its latest sample");
    assertTrue(h.history("node-9").size() < 720, "the byte bound, not the count, held");
    assertEquals(719L, h.latest("node-0").orElseThrow().timestampMs());
  }

  @Test
  void everySampleComesBackAsItCameWithItsGpusProcessesAndProblems() {
    MetricsHistory h = new MetricsHistory(10);
    List<NodeMetrics> sent = new java.util.ArrayList<>();
    for (int t = 0; t < 4; t++) {
      var gpu =
          new dev.ocean.common.api.node.GpuSample(
              t,
              "GPU-" + t + "-é",
              t * 10,
              null,
              1024 + t,
              81920,
              40 + t,
              t == 2 ? null : 312.5 + t / 3.0,
              700.0,
              List.of(new dev.ocean.common.api.node.GpuProcess(4242 + t, "python\u202e", 1000)),
              t == 3 ? "Xid 79: fell off the bus" : null);
      NodeMetrics m =
          new NodeMetrics(
              1000L * t, 0.25 * t, 1.5, null, 0.0, 1L << 33, 1L << 35, 7L, null, List.of(gpu));
      sent.add(m);
      h.add("box", m);
    }

    assertEquals(sent, h.history("box"));
    assertEquals(sent.getLast(), h.latest("box").orElseThrow());
  }
}
