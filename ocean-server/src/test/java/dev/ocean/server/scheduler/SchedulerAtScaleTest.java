package dev.ocean.server.scheduler;

import static dev.ocean.server.scheduler.Fixtures.H100;
import static dev.ocean.server.scheduler.Fixtures.node;
import static dev.ocean.server.scheduler.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** The plan of a big cluster and queue: every GPU used once, best fit kept, details short. */
class SchedulerAtScaleTest {
  private final Scheduler scheduler = new Scheduler();

  @Test
  void aThousandNodesTakeEightThousandOfTenThousandRunsEachGpuOnce() {
    List<NodeSnapshot> nodes = new ArrayList<>();
    for (int i = 0; i < 1000; i++) {
      nodes.add(node(String.format("n%04d", i)).gpus(8, H100).build());
    }
    List<QueuedRun> queue = new ArrayList<>();
    for (int i = 0; i < 10_000; i++) {
      queue.add(run(i + 1).gpus(1).build());
    }

    Plan plan = scheduler.plan(new ClusterSnapshot(nodes), queue);

    assertEquals(8000, plan.placements().size());
    assertEquals(2000, plan.waits().size());
    Map<String, Integer> perNode = new HashMap<>();
    for (Placement p : plan.placements()) {
      perNode.merge(p.node() + "/" + p.gpuIndices(), 1, Integer::sum);
    }
    assertEquals(8000, perNode.size()); // no GPU handed out twice
    // best fit: the first runs fill the first node before the next one is touched
    assertEquals("n0000", plan.placementOf(1, 0).orElseThrow().node());
    assertEquals("n0000", plan.placementOf(8, 0).orElseThrow().node());
    assertEquals("n0001", plan.placementOf(9, 0).orElseThrow().node());
  }

  @Test
  void aRunWaitingBehindManyHeldNodesNamesTenAndCountsTheRest() {
    List<NodeSnapshot> nodes = new ArrayList<>();
    for (int i = 0; i < 12; i++) {
      nodes.add(node(String.format("h%02d", i)).gpus(8, H100).busyGpus(0).build());
    }
    List<QueuedRun> queue = new ArrayList<>();
    for (int i = 0; i < 13; i++) {
      queue.add(run(i + 1).gpus(8).build());
    }

    Plan plan = scheduler.plan(new ClusterSnapshot(nodes), queue);

    assertEquals(
        "waits behind earlier runs holding nodes h00, h01, h02, h03, h04, h05, h06, h07, h08,"
            + " h09 and 2 more",
        plan.waitOf(13, 0).orElseThrow().detail());
  }
}
