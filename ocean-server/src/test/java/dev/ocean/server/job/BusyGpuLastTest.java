package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuProcess;
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A GPU that a process Ocean did not start already uses (38 GB taken, 100 % busy) is handed out
 * last: a job gets an idle GPU instead of a CUDA out-of-memory on an "idle" cluster.
 */
class BusyGpuLastTest {
  @TempDir Path dir;

  @Test
  void aJobGetsTheIdleGpuNotTheOneUsedOutsideOcean() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      List<GpuSample> samples =
          List.of(
              new GpuSample(
                  0,
                  "GPU-0",
                  100,
                  78,
                  38112,
                  81559,
                  58,
                  287.0,
                  700.0,
                  List.of(new GpuProcess(7741, "/usr/bin/python3", 37688)),
                  null),
              new GpuSample(1, "GPU-1", 0, 0, 4, 81559, 33, 54.0, 700.0, null, null));
      List<GpuInfo> gpus =
          IntStream.range(0, 2)
              .mapToObj(i -> new GpuInfo(i, "GPU-" + i, "H100", 81559, null))
              .toList();
      c.node.post(
          "/agent/heartbeat",
          new Heartbeat(
              new NodeMetrics(
                  System.currentTimeMillis(),
                  1.0,
                  0.1,
                  0.1,
                  0.1,
                  8L << 30,
                  64L << 30,
                  0L,
                  0L,
                  samples),
              new NodeFacts("n1", "Linux", "amd64", "cpu", 8, 64L << 30, List.of(), gpus, null),
              List.of()),
          Heartbeat.Ack.class);

      var board = c.admin.get("/gpus", dev.ocean.common.api.node.Node.Gpu[].class);
      assertEquals(
          "used outside Ocean: pid 7741 python3, 37 GiB", board[0].problem(), "gpu list says so");
      assertEquals(null, board[1].problem());
      c.submit("train", null, 1);
      var first = c.next();
      assertEquals(List.of(1), first.gpus(), "the idle GPU first");
      c.submit("second", null, 1);
      assertEquals(
          List.of(0),
          c.poll(first.runId()).start().getFirst().gpus(),
          "the busy one still serves when no other is free");
    }
  }
}
