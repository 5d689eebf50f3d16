package dev.ocean.server.scheduler;

import static dev.ocean.server.scheduler.Fixtures.A100;
import static dev.ocean.server.scheduler.Fixtures.H100;
import static dev.ocean.server.scheduler.Fixtures.node;
import static dev.ocean.server.scheduler.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class SchedulerTest {

  private final Scheduler scheduler = new Scheduler();

  private Plan plan(ClusterSnapshot cluster, Fixtures.RunBuilder... runs) {
    List<QueuedRun> queue = new ArrayList<>();
    for (Fixtures.RunBuilder run : runs) {
      queue.add(run.build());
    }
    return scheduler.plan(cluster, queue);
  }

  private static Placement placed(Plan plan, long jobId) {
    return plan.placementOf(jobId, 0)
        .orElseThrow(() -> new AssertionError("job " + jobId + " not placed: " + plan));
  }

  private static Wait waiting(Plan plan, long jobId) {
    return plan.waitOf(jobId, 0)
        .orElseThrow(() -> new AssertionError("job " + jobId + " not waiting: " + plan));
  }

  private static void assertDetailMentions(Wait wait, String... words) {
    for (String word : words) {
      assertTrue(wait.detail().contains(word), () -> "'" + word + "' not in: " + wait.detail());
    }
  }

  @Test
  void earlierSubmissionsStartFirstWhenCapacityIsShort() {
    var cluster = ClusterSnapshot.of(node("n1").gpus(2, H100).build());

    Plan plan = plan(cluster, run(3).gpus(1), run(1).gpus(1), run(2).gpus(1));

    assertEquals(List.of(1L, 2L), plan.placements().stream().map(Placement::jobId).toList());
    assertEquals(WaitReason.NO_NODE_FITS, waiting(plan, 3).reason());
  }

  @Test
  void bigRunReservesItsNodeAgainstAStreamOfSmallRuns() {
    var cluster =
        ClusterSnapshot.of(
            node("big-1").gpus(8, H100).busyGpus(0, 1).build(),
            node("small-1").gpus(2, H100).build());

    Plan plan = plan(cluster, run(1).gpus(8), run(2).gpus(1), run(3).gpus(1), run(4).gpus(1));

    Wait big = waiting(plan, 1);
    assertEquals(WaitReason.NO_NODE_FITS, big.reason());
    assertDetailMentions(big, "big-1", "2 more GPUs");
    assertEquals("small-1", placed(plan, 2).node());
    assertEquals("small-1", placed(plan, 3).node());
    Wait small = waiting(plan, 4);
    assertEquals(WaitReason.RESERVED_FOR_EARLIER, small.reason());
    assertDetailMentions(small, "big-1", "job 1 run 0", "position 1");
    assertTrue(plan.placements().stream().noneMatch(p -> p.node().equals("big-1")));
  }

  @Test
  void reservedBigRunIsPlacedFirstWhenItsNodeFrees() {
    var cluster =
        ClusterSnapshot.of(
            node("big-1").gpus(8, H100).build(),
            node("small-1").gpus(2, H100).busyGpus(0, 1).build());

    Plan plan = plan(cluster, run(1).gpus(8), run(4).gpus(1));

    assertEquals(new Placement(1, 0, "big-1", List.of(0, 1, 2, 3, 4, 5, 6, 7)), placed(plan, 1));
    assertEquals(WaitReason.NO_NODE_FITS, waiting(plan, 4).reason());
  }

  @Test
  void waitingRunReservesTheNodeNeedingFewestGpusFreedAndOthersBackfill() {
    var cluster =
        ClusterSnapshot.of(
            node("h1").gpus(8, H100).busyGpus(0, 1, 2, 3, 4, 5).build(),
            node("h2").gpus(8, H100).busyGpus(0, 1, 2, 3, 4).build());

    Plan plan = plan(cluster, run(1).gpus(8), run(2).gpus(2), run(3).gpus(1));

    assertDetailMentions(waiting(plan, 1), "h2", "5 more GPUs");
    assertEquals(new Placement(2, 0, "h1", List.of(6, 7)), placed(plan, 2));
    Wait third = waiting(plan, 3);
    assertEquals(WaitReason.RESERVED_FOR_EARLIER, third.reason());
    assertDetailMentions(third, "h2");
  }

  @Test
  void runsBackfillNodesThatNoWaitingRunCanUse() {
    var cluster =
        ClusterSnapshot.of(
            node("a100-1").gpus(4, A100).build(), node("h100-1").gpus(8, H100).busyGpus(0).build());

    Plan plan = plan(cluster, run(1).gpus(8, "H100"), run(2).gpus(2, "A100"), run(3).gpus(0));

    assertDetailMentions(waiting(plan, 1), "h100-1");
    assertEquals(new Placement(2, 0, "a100-1", List.of(0, 1)), placed(plan, 2));
    assertEquals("a100-1", placed(plan, 3).node());
  }

  @Test
  void oneGpuRunPacksOntoTheNodeWithOneFreeGpuNotTheEmptyOne() {
    var cluster =
        ClusterSnapshot.of(
            node("a-empty").gpus(8, H100).build(),
            node("b-busy").gpus(8, H100).busyGpus(0, 1, 2, 3, 4, 5, 6).build());

    Plan plan = plan(cluster, run(1).gpus(1));

    assertEquals(new Placement(1, 0, "b-busy", List.of(7)), placed(plan, 1));
  }

  @Test
  void equallyGoodNodesAreChosenByNameAndLowestGpuIndicesFirst() {
    var cluster =
        ClusterSnapshot.of(
            node("n2").gpus(4, H100).busyGpus(0, 2).build(),
            node("n1").gpus(4, H100).busyGpus(1, 3).build());

    Plan plan = plan(cluster, run(1).gpus(1), run(2).gpus(1));

    assertEquals(new Placement(1, 0, "n1", List.of(0)), placed(plan, 1));
    assertEquals(new Placement(2, 0, "n1", List.of(2)), placed(plan, 2));
  }

  @Test
  void h100RunsNeverLandOnA100Nodes() {
    var cluster =
        ClusterSnapshot.of(
            node("a100-1").gpus(8, A100).build(), node("h100-1").gpus(2, H100).busyGpus(0).build());

    Plan plan = plan(cluster, run(1).gpus(2, "h100"), run(2).gpus(1, "H100"));

    assertEquals(WaitReason.NO_NODE_FITS, waiting(plan, 1).reason());
    assertDetailMentions(waiting(plan, 1), "h100-1");
    assertEquals(WaitReason.RESERVED_FOR_EARLIER, waiting(plan, 2).reason());
    assertTrue(plan.placements().isEmpty());
  }

  @Test
  void runWithoutGpuModelLandsOnAnyGpuNode() {
    var cluster =
        ClusterSnapshot.of(
            node("a100-1").gpus(8, A100).build(),
            node("h100-1").gpus(2, H100).busyGpus(0, 1).build());

    Plan plan = plan(cluster, run(1).gpus(4));

    assertEquals("a100-1", placed(plan, 1).node());
  }

  @Test
  void runWithoutGpusPrefersANodeWithoutGpus() {
    var cluster = ClusterSnapshot.of(node("a-gpu").gpus(8, H100).build(), node("z-cpu").build());

    Plan plan = plan(cluster, run(1).gpus(0, "H100"));

    assertEquals(new Placement(1, 0, "z-cpu", List.of()), placed(plan, 1));
  }

  @Test
  void cpusAndMemoryMustFitToo() {
    var cluster =
        ClusterSnapshot.of(
            node("few-cpus").gpus(8, H100).freeCpus(2).build(),
            node("little-memory").gpus(8, H100).freeMemoryMib(1024).build());

    Plan plan =
        plan(
            cluster,
            run(1).gpus(1).cpus(4).memoryMib(512),
            run(2).gpus(1).cpus(1).memoryMib(2048),
            run(3).gpus(1).cpus(4).memoryMib(2048));

    assertEquals("little-memory", placed(plan, 1).node());
    assertEquals("few-cpus", placed(plan, 2).node());
    Wait third = waiting(plan, 3);
    assertEquals(WaitReason.NO_NODE_FITS, third.reason());
    assertEquals("waits for node little-memory to free 1536 MiB more memory", third.detail());
  }

  @Test
  void drainingAndLostNodesGetNothing() {
    var cluster =
        ClusterSnapshot.of(
            node("draining").status(NodeStatus.DRAINING).gpus(8, H100).build(),
            node("lost").status(NodeStatus.LOST).gpus(8, H100).build(),
            node("ready").gpus(8, H100).busyGpus(0, 1, 2, 3, 4, 5, 6, 7).build());

    Plan plan = plan(cluster, run(1).gpus(1), run(2).gpus(0));

    assertTrue(plan.placements().stream().allMatch(p -> p.node().equals("ready")));
    assertDetailMentions(waiting(plan, 1), "ready");
    assertEquals(WaitReason.RESERVED_FOR_EARLIER, waiting(plan, 2).reason());
  }

  @Test
  void noReadyNodeMeansNoSuchCapacity() {
    var cluster =
        ClusterSnapshot.of(node("draining").status(NodeStatus.DRAINING).gpus(8, H100).build());

    Wait wait = waiting(plan(cluster, run(1).gpus(1)), 1);

    assertEquals(WaitReason.NO_SUCH_CAPACITY, wait.reason());
    assertEquals("node draining is draining", wait.detail());
  }

  @Test
  void noReadyNodeSaysWhichAreDrainingOrThatNoneIsReady() {
    var drained =
        ClusterSnapshot.of(
            node("b").status(NodeStatus.DRAINING).build(),
            node("a").status(NodeStatus.DRAINING).build());
    assertEquals("nodes a, b are draining", waiting(plan(drained, run(1)), 1).detail());

    var lostToo =
        ClusterSnapshot.of(
            node("a").status(NodeStatus.DRAINING).build(),
            node("b").status(NodeStatus.LOST).build());
    assertEquals("no node is ready", waiting(plan(lostToo, run(1)), 1).detail());

    assertEquals(
        "no node has joined the cluster", waiting(plan(ClusterSnapshot.of(), run(1)), 1).detail());
  }

  @Test
  void noSuchCapacityDetailSaysWhatIsMissing() {
    var cluster =
        ClusterSnapshot.of(node("h1").gpus(4, H100).build(), node("h2").gpus(2, H100).build());

    Plan plan =
        plan(
            cluster,
            run(1).gpus(8, "H100"),
            run(2).gpus(1, "B200"),
            run(3).gpus(4).cpus(256),
            run(4).gpus(0).memoryMib(4L * 1024 * 1024));

    assertEquals(
        "needs 8 H100 GPUs but the largest ready node with H100 GPUs has 4",
        waiting(plan, 1).detail());
    assertEquals("no ready node has B200 GPUs", waiting(plan, 2).detail());
    assertEquals(
        "needs 256 CPUs but the largest ready node with 4 GPUs has 128", waiting(plan, 3).detail());
    assertDetailMentions(waiting(plan, 4), "MiB memory", "has 1048576 MiB");
    plan.waits().forEach(w -> assertEquals(WaitReason.NO_SUCH_CAPACITY, w.reason()));
  }

  @Test
  void runThatCanNeverFitReservesNothingAndBlocksNobody() {
    var cluster = ClusterSnapshot.of(node("h1").gpus(4, H100).build());

    Plan plan = plan(cluster, run(1).gpus(8), run(2).gpus(4));

    assertEquals(WaitReason.NO_SUCH_CAPACITY, waiting(plan, 1).reason());
    assertEquals("h1", placed(plan, 2).node());
  }

  @Test
  void runWhoseNodesAreAllHeldWaitsBehindThem() {
    var cluster = ClusterSnapshot.of(node("h1").gpus(8, H100).busyGpus(0, 1, 2, 3).build());

    Plan plan = plan(cluster, run(1).gpus(8), run(2).gpus(6));

    Wait second = waiting(plan, 2);
    assertEquals(WaitReason.NO_NODE_FITS, second.reason());
    assertEquals("waits behind earlier runs holding nodes h1", second.detail());
  }

  @Test
  void waitPositionsAreOneBasedAndInQueueOrder() {
    var cluster = ClusterSnapshot.of(node("n1").gpus(1, H100).build());

    Plan plan = plan(cluster, run(4).gpus(1), run(2).gpus(1), run(3).gpus(1), run(1).gpus(1));

    assertEquals(1L, plan.placements().getFirst().jobId());
    assertEquals(List.of(2L, 3L, 4L), plan.waits().stream().map(Wait::jobId).toList());
    assertEquals(List.of(1, 2, 3), plan.waits().stream().map(Wait::position).toList());
  }

  @Test
  void samePendingRunsInAnyOrderGiveTheSamePlan() {
    var cluster =
        ClusterSnapshot.of(
            node("a").gpus(8, H100).busyGpus(0, 3).build(),
            node("b").gpus(4, A100).build(),
            node("c").gpus(8, H100).busyGpus(7).build());
    List<QueuedRun> queue = new ArrayList<>();
    for (int job = 1; job <= 12; job++) {
      queue.add(run(job).gpus(job % 4 + 1, job % 3 == 0 ? "A100" : null).build());
    }
    Plan expected = scheduler.plan(cluster, queue);

    Collections.shuffle(queue, new Random(42));

    assertEquals(expected, scheduler.plan(cluster, queue));
  }
}
