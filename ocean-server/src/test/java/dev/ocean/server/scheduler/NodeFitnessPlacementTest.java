package dev.ocean.server.scheduler;

import static dev.ocean.server.scheduler.Fixtures.H100;
import static dev.ocean.server.scheduler.Fixtures.node;
import static dev.ocean.server.scheduler.Fixtures.run;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Placement by what a node can run: its runtime's kind (host images on process nodes, container
 * images on docker nodes), a runtime that is down, GPUs that cannot reach containers.
 */
class NodeFitnessPlacementTest {
  private final Scheduler scheduler = new Scheduler();

  private Plan plan(ClusterSnapshot cluster, Fixtures.RunBuilder... runs) {
    return scheduler.plan(cluster, List.of(runs).stream().map(Fixtures.RunBuilder::build).toList());
  }

  @Test
  void hostImagesGoToProcessNodesAndContainerImagesToDockerNodes() {
    var cluster =
        ClusterSnapshot.of(
            node("bare").runtime("process").build(), node("pods").runtime("docker").build());

    Plan plan = plan(cluster, run(1).host(), run(2));

    assertEquals("bare", plan.placementOf(1, 0).orElseThrow().node());
    assertEquals("pods", plan.placementOf(2, 0).orElseThrow().node());
  }

  @Test
  void hostImageWithOnlyDockerNodesWaitsAndSaysWhy() {
    var cluster = ClusterSnapshot.of(node("pods").runtime("docker").build());

    Wait wait = plan(cluster, run(1).host()).waitOf(1, 0).orElseThrow();

    assertEquals(WaitReason.NO_SUCH_CAPACITY, wait.reason());
    assertTrue(wait.detail().contains("no ready node has the process runtime"), wait.detail());
  }

  @Test
  void containerImageWithOnlyProcessNodesWaitsAndSaysWhy() {
    var cluster = ClusterSnapshot.of(node("bare").runtime("process").build());

    Wait wait = plan(cluster, run(1)).waitOf(1, 0).orElseThrow();

    assertTrue(wait.detail().contains("no ready node has a container runtime"), wait.detail());
  }

  @Test
  void containerImageWhoseOnlyDockerNodeIsDownNamesThatNodeAndWhy() {
    String down =
        "runtime docker cannot start runs: the container engine at unix:///gone.sock does not"
            + " answer";
    var cluster =
        ClusterSnapshot.of(
            node("bare").runtime("process").build(),
            node("n6").runtime("docker").blocked(down).build());

    Wait wait = plan(cluster, run(1)).waitOf(1, 0).orElseThrow();

    assertEquals(
        "its image is a container image, and the container runtime of node n6 is down ("
            + down
            + ")",
        wait.detail());
    Wait instance = plan(cluster, run(2).instance()).waitOf(2, 0).orElseThrow();
    assertTrue(
        instance.detail().contains("the container runtime of node n6 is down"), instance.detail());
  }

  @Test
  void hostImageWhoseProcessNodesAreDownNamesThem() {
    var cluster =
        ClusterSnapshot.of(
            node("a").runtime("process").blocked("cannot run as ocean-jobs").build(),
            node("b").runtime("process").blocked("cannot run as ocean-jobs").build(),
            node("pods").runtime("docker").build());

    Wait wait = plan(cluster, run(1).host()).waitOf(1, 0).orElseThrow();

    assertTrue(
        wait.detail()
            .startsWith(
                "its image is the host, and the process runtimes of nodes a, b are down (node a:"),
        wait.detail());
  }

  @Test
  void runWithAVolumeSkipsNodesWithoutStorageWhileRunsWithoutOneStillGoThere() {
    var cluster =
        ClusterSnapshot.of(
            node("a-bare").noVolumeStorage().build(), node("b-stored").cpus(4).build());

    Plan plan = plan(cluster, run(1).volume(), run(2).cpus(4));

    assertEquals("b-stored", plan.placementOf(1, 0).orElseThrow().node());
    assertEquals("a-bare", plan.placementOf(2, 0).orElseThrow().node());
  }

  @Test
  void runWithAVolumeAndNoNodeWithStorageWaitsAndSaysWhy() {
    var cluster = ClusterSnapshot.of(node("bare").noVolumeStorage().build());

    Plan plan = plan(cluster, run(1).volume(), run(2));

    Wait wait = plan.waitOf(1, 0).orElseThrow();
    assertEquals(WaitReason.NO_SUCH_CAPACITY, wait.reason());
    assertEquals("no node has volume storage (ocean-agent join --storage)", wait.detail());
    assertEquals("bare", plan.placementOf(2, 0).orElseThrow().node());
  }

  @Test
  void instanceWithAVolumeWhereOnlyAProcessNodeHasStorageSaysNoNodeHasBoth() {
    // qa7 K9: "no node has volume storage", although node local has it (but runs processes)
    var cluster =
        ClusterSnapshot.of(
            node("local").runtime("process").build(),
            node("pod").runtime("docker").noVolumeStorage().build());

    Wait wait = plan(cluster, run(1).instance().volume()).waitOf(1, 0).orElseThrow();

    assertEquals(
        "no ready node has both volume storage and a container runtime (node local has storage"
            + " but another runtime)",
        wait.detail());
  }

  @Test
  void nodeWhoseRuntimeIsDownGetsNothingAndTheWaitNamesIt() {
    var cluster =
        ClusterSnapshot.of(node("n1").gpus(2, H100).blocked("runtime docker is down: x").build());

    Wait wait = plan(cluster, run(1)).waitOf(1, 0).orElseThrow();

    assertTrue(wait.detail().contains("node n1: runtime docker is down: x"), wait.detail());
  }

  @Test
  void gpusThatCannotReachContainersTakeCpuWorkOnly() {
    var cluster = ClusterSnapshot.of(node("n1").gpus(2, H100).gpuBlocked("no hand-off").build());

    Plan plan = plan(cluster, run(1).gpus(1), run(2));

    assertTrue(plan.placementOf(1, 0).isEmpty());
    assertEquals("n1", plan.placementOf(2, 0).orElseThrow().node());
    assertTrue(plan.waitOf(1, 0).orElseThrow().detail().contains("no hand-off"));
  }

  @Test
  void gpuIndicesWithAGapFromABrokenGpuAreHandedOutAroundIt() {
    var cluster =
        ClusterSnapshot.of(
            new NodeSnapshot(
                "n1",
                NodeStatus.READY,
                8,
                1024,
                H100,
                new java.util.TreeSet<>(List.of(0, 2, 3)),
                3,
                8,
                1024,
                null,
                null,
                null,
                true));

    Plan plan = plan(cluster, run(1).cpus(1).memoryMib(1).gpus(3));

    assertEquals(List.of(0, 2, 3), plan.placementOf(1, 0).orElseThrow().gpuIndices());
  }
}
