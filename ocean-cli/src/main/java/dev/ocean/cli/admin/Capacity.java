package dev.ocean.cli.admin;

import dev.ocean.cli.base.Text;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanClient;
import java.util.Arrays;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * Whether a machine type fits any node of the cluster: one no node can hold is allowed (its node
 * may join later), but said at once instead of when the first job waits (qa7 K9).
 */
final class Capacity {
  private static final long GIB = 1L << 30;

  private Capacity() {}

  /** A warning when nodes have joined and none could hold {@code m} even when empty. */
  static Optional<String> warning(OceanClient client, MachineType m) {
    List<Node> nodes =
        Arrays.stream(client.get("/nodes", Node[].class))
            .filter(n -> !"removed".equals(n.state()))
            .toList();
    if (nodes.isEmpty() || nodes.stream().anyMatch(n -> holds(n, m))) {
      return Optional.empty();
    }
    int cpus = nodes.stream().mapToInt(Node::cpus).max().orElseThrow();
    // 23.5 GiB, not 23 (floored) beside the 24 that `node list` rounds it to (qa11 T7)
    double gib = nodes.stream().mapToLong(Node::memoryBytes).max().orElseThrow() / (double) GIB;
    String memory =
        gib == Math.floor(gib)
            ? String.valueOf((long) gib)
            : String.format(Locale.ROOT, "%.1f", Math.floor(gib * 10) / 10);
    int gpus = nodes.stream().mapToInt(Node::gpus).max().orElseThrow();
    return Optional.of(
        "Warning: no node of this cluster can hold machine type "
            + m.name()
            + " ("
            + Text.count(m.cpus(), "CPU")
            + ", "
            + m.memoryGib()
            + " GiB, "
            + Text.count(m.gpus(), (m.gpuModel() == null ? "" : m.gpuModel() + " ") + "GPU")
            + "); the largest "
            + (nodes.size() == 1 ? "node has " : "nodes have ")
            + Text.count(cpus, "CPU")
            + ", "
            + memory
            + " GiB, "
            + Text.count(gpus, "GPU")
            + "; its jobs and instances wait until a node that big joins.");
  }

  private static boolean holds(Node n, MachineType m) {
    return n.cpus() >= m.cpus()
        && n.memoryBytes() >= m.memoryGib() * GIB
        && n.gpus() >= m.gpus()
        && (m.gpus() == 0
            || m.gpuModel() == null
            || (n.gpuModel() != null
                && n.gpuModel()
                    .toLowerCase(Locale.ROOT)
                    .contains(m.gpuModel().toLowerCase(Locale.ROOT))));
  }
}
