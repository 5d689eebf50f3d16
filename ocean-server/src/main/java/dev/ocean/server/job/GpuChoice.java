package dev.ocean.server.job;

import dev.ocean.common.api.node.GpuSample;
import dev.ocean.server.node.MetricsHistory;
import dev.ocean.server.scheduler.ClusterSnapshot;
import dev.ocean.server.scheduler.NodeSnapshot;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * Which of a node's free GPUs a placement gets: the scheduler counts GPUs, this picks them. A GPU
 * that something Ocean did not start already uses (memory taken, as the agent last measured) is
 * handed out last, so a job on a shared node does not meet a CUDA out-of-memory on an idle cluster.
 */
final class GpuChoice {
  /** What a free GPU already carries; lower is handed out first. */
  interface Load {
    long of(String node, int index);

    Load NONE = (node, index) -> 0;
  }

  private GpuChoice() {}

  /** Memory used on each GPU in the node's latest metrics (processes there are not Ocean's). */
  static Load fromMetrics(MetricsHistory history) {
    return (node, index) ->
        history
            .latest(node)
            .flatMap(m -> m.gpus().stream().filter(g -> g.index() == index).findFirst())
            .map(GpuChoice::load)
            .orElse(0L);
  }

  private static long load(GpuSample g) {
    long memory = g.memoryUsedMib() == null ? 0 : g.memoryUsedMib();
    long busy = g.utilisationGpu() == null ? 0 : g.utilisationGpu();
    return memory * 128 + busy;
  }

  /**
   * The same placements, each with as many GPUs as before, taken from its node's free GPUs least
   * loaded first (lowest index among equals), each list in index order.
   */
  static List<dev.ocean.server.scheduler.Placement> prefer(
      List<dev.ocean.server.scheduler.Placement> placements, ClusterSnapshot cluster, Load load) {
    if (load == Load.NONE || placements.stream().allMatch(p -> p.gpuIndices().isEmpty())) {
      return placements;
    }
    java.util.Set<String> placedOn = new java.util.HashSet<>();
    placements.stream().filter(p -> !p.gpuIndices().isEmpty()).forEach(p -> placedOn.add(p.node()));
    Map<String, List<Integer>> order = new HashMap<>();
    for (NodeSnapshot n : cluster.nodes()) {
      if (placedOn.contains(n.name()) && !n.freeGpuIndices().isEmpty()) {
        List<Integer> free = new ArrayList<>(n.freeGpuIndices());
        free.sort(
            Comparator.comparingLong((Integer i) -> load.of(n.name(), i)).thenComparingInt(i -> i));
        order.put(n.name(), free);
      }
    }
    List<dev.ocean.server.scheduler.Placement> out = new ArrayList<>(placements.size());
    for (var p : placements) {
      List<Integer> free = order.get(p.node());
      if (p.gpuIndices().isEmpty() || free == null || free.size() < p.gpuIndices().size()) {
        out.add(p);
        continue;
      }
      List<Integer> chosen = new ArrayList<>(free.subList(0, p.gpuIndices().size()));
      free.subList(0, chosen.size()).clear();
      chosen.sort(null);
      out.add(new dev.ocean.server.scheduler.Placement(p.jobId(), p.runIndex(), p.node(), chosen));
    }
    return out;
  }
}
