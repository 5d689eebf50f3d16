package dev.ocean.server.node;

import dev.ocean.common.api.node.NodeMetrics;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Recent metrics per node (GPU samples included), in memory and bounded: the last {@code capacity}
 * heartbeats of each node, an hour at the default 5 s interval.
 */
public final class MetricsHistory {
  private final int capacity;
  private final Map<String, ArrayDeque<NodeMetrics>> samples = new ConcurrentHashMap<>();

  public MetricsHistory(int capacity) {
    this.capacity = capacity;
  }

  public void add(String node, NodeMetrics m) {
    ArrayDeque<NodeMetrics> q = samples.computeIfAbsent(node, n -> new ArrayDeque<>());
    synchronized (q) {
      q.addLast(m);
      while (q.size() > capacity) {
        q.removeFirst();
      }
    }
  }

  public Optional<NodeMetrics> latest(String node) {
    ArrayDeque<NodeMetrics> q = samples.get(node);
    if (q == null) {
      return Optional.empty();
    }
    synchronized (q) {
      return Optional.ofNullable(q.peekLast());
    }
  }

  public List<NodeMetrics> history(String node) {
    ArrayDeque<NodeMetrics> q = samples.get(node);
    if (q == null) {
      return List.of();
    }
    synchronized (q) {
      return List.copyOf(q);
    }
  }

  public void forget(String node) {
    samples.remove(node);
  }
}
