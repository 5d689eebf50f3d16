package dev.ocean.server.scheduler;

import static dev.ocean.server.scheduler.Fixtures.A100;
import static dev.ocean.server.scheduler.Fixtures.H100;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

/**
 * Today's scheduler gives exactly the plan of the {@link ReferenceScheduler} (every placement, GPU
 * index, wait reason, detail and position) on random mixed clusters and queues: FIFO head-of-line,
 * reservations, backfill and the reasons a run waits are unchanged by the faster wait path.
 */
class SchedulerEquivalenceTest {
  private final Scheduler scheduler = new Scheduler();
  private final ReferenceScheduler reference = new ReferenceScheduler();

  @Test
  void smallMixedClustersAndQueuesPlanExactlyAsTheReference() {
    Set<String> seen = new HashSet<>();
    for (long seed = 1; seed <= 400; seed++) {
      Random random = new Random(seed);
      Plan plan =
          assertSamePlan(
              seed, cluster(random, 1 + random.nextInt(30)), queue(random, random.nextInt(150)));
      for (Wait w : plan.waits()) {
        seen.add(w.reason().name());
        seen.add(w.detail().replaceAll(" node .*| nodes .*|\\d+.*", ""));
      }
    }
    // The random inputs reach every kind of wait, so the comparison covers each path.
    assertTrue(
        seen.containsAll(
            List.of(
                "NO_SUCH_CAPACITY",
                "NO_NODE_FITS",
                "RESERVED_FOR_EARLIER",
                "waits for",
                "would fit on",
                "waits behind earlier runs holding")),
        seen::toString);
  }

  @Test
  void manyNodesAndALongQueuePlanExactlyAsTheReference() {
    for (long seed = 1; seed <= 3; seed++) {
      Random random = new Random(seed);
      assertSamePlan(seed, cluster(random, 400), queue(random, 4000));
    }
  }

  @Test
  void uniformRunsOnUniformNodesFillNodeByNodeThenEachWaitHoldsItsOwnNode() {
    List<NodeSnapshot> nodes = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      nodes.add(Fixtures.node(String.format("n%03d", i)).gpus(8, H100).busyGpus(i % 3).build());
    }
    List<QueuedRun> queue = new ArrayList<>();
    for (int i = 0; i < 3000; i++) {
      queue.add(Fixtures.run(i / 100 + 1).index(i % 100).gpus(1 + i % 2).build());
    }
    Plan plan = assertSamePlan(0, new ClusterSnapshot(nodes), queue);

    // The first waiting run holds a node; the next runs of its shape each hold another one.
    Wait first = plan.waits().getFirst();
    assertEquals(1, first.position());
    assertEquals(WaitReason.NO_NODE_FITS, first.reason());
  }

  private Plan assertSamePlan(long seed, ClusterSnapshot cluster, List<QueuedRun> queue) {
    Plan expected = reference.plan(cluster, queue);
    Plan actual = scheduler.plan(cluster, queue);
    assertEquals(expected.placements(), actual.placements(), "placements, seed " + seed);
    assertEquals(expected.waits(), actual.waits(), "waits, seed " + seed);
    return actual;
  }

  private static ClusterSnapshot cluster(Random random, int size) {
    List<NodeSnapshot> nodes = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      var b = Fixtures.node(String.format("n%03d", random.nextInt(1000) * 1000 + i));
      int gpus = List.of(0, 2, 4, 8, 8, 8).get(random.nextInt(6));
      if (gpus > 0) {
        b.gpus(gpus, random.nextInt(4) == 0 ? A100 : H100);
        for (int g = 0; g < gpus; g++) {
          if (random.nextInt(3) == 0) {
            b.busyGpus(g);
          }
        }
      }
      b.cpus(List.of(16, 64, 128).get(random.nextInt(3)));
      b.memoryMib(List.of(64, 256, 1024).get(random.nextInt(3)) * 1024L);
      NodeSnapshot probe = b.build();
      b.freeCpus(random.nextInt(probe.totalCpus() + 1));
      b.freeMemoryMib(random.nextLong(probe.totalMemoryMib() + 1));
      switch (random.nextInt(20)) {
        case 0 -> b.status(NodeStatus.DRAINING);
        case 1 -> b.status(NodeStatus.LOST);
        case 2 -> b.blocked("docker is down");
        case 3 -> b.gpuBlocked("no nvidia container toolkit");
        case 4 -> b.runtime("process");
        case 5 -> b.noVolumeStorage();
        default -> b.runtime(random.nextBoolean() ? "docker" : null);
      }
      nodes.add(b.build());
    }
    return new ClusterSnapshot(nodes);
  }

  private static List<QueuedRun> queue(Random random, int size) {
    List<QueuedRun> queue = new ArrayList<>();
    for (int i = 0; i < size; i++) {
      var r = Fixtures.run(i + 1).seq(random.nextInt(size + 1));
      switch (random.nextInt(8)) {
        case 0 -> r.gpus(8);
        case 1 -> r.gpus(2, A100);
        case 2 -> r.gpus(16);
        case 3 -> r.cpus(64).memoryMib(200 * 1024);
        case 4 -> r.host();
        case 5 -> r.gpus(1).volume();
        case 6 -> r.instance().gpus(1);
        default -> r.gpus(1);
      }
      queue.add(r.build());
    }
    return queue;
  }
}
