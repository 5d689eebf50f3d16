package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.base.Style;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class TopFrameTest {
  private static final Instant NOW = Instant.parse("2026-03-04T12:34:56Z");
  private static final Style PLAIN = new Style(false);
  private static final long GIB = 1L << 30;

  private static Node node(String name, String state, NodeMetrics m, List<Node.Gpu> gpus) {
    int used = (int) gpus.stream().filter(g -> g.heldBy() != null).count();
    NodeFacts facts = new NodeFacts(name, "Linux", "amd64", null, 32, 64 * GIB, null, null, null);
    return new Node(
        name,
        state,
        32,
        64 * GIB,
        gpus.size(),
        used,
        "GPU",
        NOW,
        NOW,
        "0.1.0",
        facts,
        m,
        gpus,
        null);
  }

  private static Node.Gpu gpu(String node, int i, Integer util, Integer used, String heldBy) {
    return new Node.Gpu(
        node, i, "GPU-" + i, "NVIDIA H100", util, used, 80_000, 61, 350.4, 700.0, heldBy, null);
  }

  private static Node.Gpu unknownGpu(String node, int i) {
    return new Node.Gpu(node, i, null, null, null, null, null, null, null, null, null, null);
  }

  private static final List<Node> CLUSTER =
      List.of(
          node(
              "alpha",
              "ready",
              new NodeMetrics(0, 50.0, null, null, null, 16 * GIB, 64 * GIB, null, null, null),
              List.of(gpu("alpha", 0, 100, 80_000, "job 7"), gpu("alpha", 1, 35, 20_000, null))),
          node("beta", "lost", null, List.of(unknownGpu("beta", 0))));

  @Test
  void summaryCountsReadyNodesAndGpusInUse() {
    String first = TopFrame.render(CLUSTER, NOW, PLAIN).lines().findFirst().orElseThrow();
    assertEquals("Ocean cluster  12:34:56 UTC   nodes 1/2 ready   GPUs 1/3 in use", first);
  }

  @Test
  void eachNodeShowsCpuMemoryAndALinePerGpu() {
    List<String> lines = TopFrame.render(CLUSTER, NOW, PLAIN).lines().toList();
    assertEquals("alpha ready  32 CPU  64 GiB", lines.get(2));
    assertEquals(
        "  cpu [##########..........]  50%   mem [#####...............]  25%", lines.get(3));
    assertEquals(
        "  gpu0 [####################] 100%   mem [####################] 100%  61C  350/700 W  job"
            + " 7",
        lines.get(4));
    assertEquals(
        "  gpu1 [#######.............]  35%   mem [#####...............]  25%  61C  350/700 W",
        lines.get(5));
  }

  @Test
  void unknownValuesShowAsQuestionMarks() {
    List<String> lines = TopFrame.render(CLUSTER, NOW, PLAIN).lines().toList();
    int beta = lines.indexOf("beta lost  32 CPU  64 GiB");
    assertTrue(beta > 0, String.join("\n", lines));
    assertEquals(
        "  cpu [....................]    ?   mem [....................]    ?", lines.get(beta + 1));
    assertEquals(
        "  gpu0 [....................]    ?   mem [....................]    ?  -  -",
        lines.get(beta + 2));
  }

  @Test
  void barsAreClampedAndRounded() {
    assertEquals("[####################] 100%", TopFrame.bar(140.0, PLAIN));
    assertEquals("[....................]   0%", TopFrame.bar(-3.0, PLAIN));
    assertEquals("[#...................]   4%", TopFrame.bar(4.4, PLAIN));
    assertEquals("[....................]    ?", TopFrame.bar(Double.NaN, PLAIN));
  }

  @Test
  void colourOnlyWhenTheStyleAllowsIt() {
    String coloured = TopFrame.bar(95.0, new Style(true));
    assertTrue(coloured.contains("\u001B["), coloured);
    assertEquals(TopFrame.bar(95.0, PLAIN).length(), Style.visibleLength(coloured));
    assertTrue(!TopFrame.render(CLUSTER, NOW, PLAIN).contains("\u001B"));
  }

  @Test
  void emptyClusterSaysHowToAddANode() {
    String frame = TopFrame.render(List.of(), NOW, PLAIN);
    assertTrue(frame.contains("nodes 0/0 ready   GPUs 0/0 in use"), frame);
    assertTrue(frame.contains("ocean admin node token"), frame);
  }
}
