package dev.ocean.server.scheduler;

import static dev.ocean.server.scheduler.Fixtures.node;
import static dev.ocean.server.scheduler.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Instances need a container runtime: never placed on process-runtime nodes, saying why. */
class InstancePlacementTest {
  private final Scheduler scheduler = new Scheduler();

  private Plan plan(ClusterSnapshot cluster, Fixtures.RunBuilder... runs) {
    return scheduler.plan(cluster, List.of(runs).stream().map(Fixtures.RunBuilder::build).toList());
  }

  @Test
  void instanceSkipsTheProcessNodeAndLandsOnTheContainerNode() {
    var cluster =
        ClusterSnapshot.of(
            node("a-bare").runtime("process").build(), node("b-pods").runtime("docker").build());

    Plan plan = plan(cluster, run(1).instance());

    assertEquals("b-pods", plan.placementOf(1, 0).orElseThrow().node());
  }

  @Test
  void instanceWithOnlyProcessNodesWaitsSayingWhyWhileAHostJobRunsThere() {
    var cluster = ClusterSnapshot.of(node("bare").runtime("process").build());

    Plan plan = plan(cluster, run(1).instance(), run(2).host());

    Wait wait = plan.waitOf(1, 0).orElseThrow();
    assertEquals(WaitReason.NO_SUCH_CAPACITY, wait.reason());
    assertEquals(Scheduler.NO_CONTAINER_RUNTIME, wait.detail());
    assertTrue(wait.detail().contains("needs a container runtime"), wait.detail());
    assertEquals("bare", plan.placementOf(2, 0).orElseThrow().node());
  }

  @Test
  void instanceWithAHostKindImageStillNeverGoesToAProcessNode() {
    var cluster = ClusterSnapshot.of(node("bare").runtime("process").build());

    Plan plan = plan(cluster, run(1).host().instance());

    assertTrue(plan.placementOf(1, 0).isEmpty());
    assertEquals(Scheduler.NO_CONTAINER_RUNTIME, plan.waitOf(1, 0).orElseThrow().detail());
  }

  @Test
  void instanceQueuesFifoBehindAnEarlierJobThatWaitsForTheSameGpus() {
    var cluster =
        ClusterSnapshot.of(
            node("pods").runtime("docker").gpus(2, Fixtures.H100).busyGpus(0).build());

    Plan plan = plan(cluster, run(1).gpus(2), run(2).instance().gpus(1));

    assertTrue(plan.placementOf(2, 0).isEmpty(), "the node is held for the earlier job");
    Wait wait = plan.waitOf(2, 0).orElseThrow();
    assertEquals(2, wait.position());
    assertEquals(WaitReason.RESERVED_FOR_EARLIER, wait.reason());
  }
}
