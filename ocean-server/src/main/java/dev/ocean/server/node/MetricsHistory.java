package dev.ocean.server.node;

import dev.ocean.common.api.node.GpuProcess;
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.NodeMetrics;
import java.util.ArrayDeque;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recent metrics per node (GPU samples included), in memory and bounded twice: the last {@code
 * capacity} heartbeats of each node (an hour at the default 5 s interval), and an estimate of the
 * bytes they hold, per node and over all nodes, so that nodes sending big samples cannot run the
 * server out of memory. When a bound is reached, the oldest samples go first.
 */
public final class MetricsHistory {
  /** Default bytes one node's samples may hold (an hour of an 8-GPU node takes about 1.5 MiB). */
  public static final long DEFAULT_NODE_BYTES = 8L << 20;

  /** Default bytes all nodes' samples may hold together. */
  public static final long DEFAULT_TOTAL_BYTES = 256L << 20;

  private final int capacity;
  private final long nodeBytes;
  private final long totalBytes;
  private final AtomicLong held = new AtomicLong();
  private final Map<String, Samples> samples = new ConcurrentHashMap<>();

  /** One node's samples, oldest first, and the bytes they are estimated to hold. */
  private static final class Samples {
    final ArrayDeque<NodeMetrics> queue = new ArrayDeque<>();
    final ArrayDeque<Long> sizes = new ArrayDeque<>();
    long bytes;
  }

  public MetricsHistory(int capacity) {
    this(capacity, DEFAULT_NODE_BYTES, DEFAULT_TOTAL_BYTES);
  }

  public MetricsHistory(int capacity, long nodeBytes, long totalBytes) {
    this.capacity = capacity;
    this.nodeBytes = nodeBytes;
    this.totalBytes = totalBytes;
  }

  public void add(String node, NodeMetrics m) {
    long size = estimate(m);
    Samples s = samples.computeIfAbsent(node, n -> new Samples());
    synchronized (s) {
      s.queue.addLast(m);
      s.sizes.addLast(size);
      s.bytes += size;
      held.addAndGet(size);
      // The newest sample always stays, so a node is never shown without its latest reading.
      while (s.queue.size() > 1
          && (s.queue.size() > capacity || s.bytes > nodeBytes || held.get() > totalBytes)) {
        dropOldest(s);
      }
    }
    // Still over the total: other nodes give up their oldest samples too (one lock at a time).
    for (Samples other : samples.values()) {
      if (held.get() <= totalBytes) {
        return;
      }
      synchronized (other) {
        while (other.queue.size() > 1 && held.get() > totalBytes) {
          dropOldest(other);
        }
      }
    }
  }

  private void dropOldest(Samples s) {
    s.queue.removeFirst();
    long gone = s.sizes.removeFirst();
    s.bytes -= gone;
    held.addAndGet(-gone);
  }

  public Optional<NodeMetrics> latest(String node) {
    Samples s = samples.get(node);
    if (s == null) {
      return Optional.empty();
    }
    synchronized (s) {
      return Optional.ofNullable(s.queue.peekLast());
    }
  }

  public List<NodeMetrics> history(String node) {
    Samples s = samples.get(node);
    if (s == null) {
      return List.of();
    }
    synchronized (s) {
      return List.copyOf(s.queue);
    }
  }

  /** The bytes all samples are estimated to hold now. */
  public long bytesHeld() {
    return held.get();
  }

  public void forget(String node) {
    Samples s = samples.remove(node);
    if (s != null) {
      synchronized (s) {
        held.addAndGet(-s.bytes);
        s.bytes = 0;
      }
    }
  }

  /** A generous estimate of a sample's heap footprint: objects, boxed numbers and strings. */
  static long estimate(NodeMetrics m) {
    long bytes = 160;
    for (GpuSample g : m.gpus()) {
      bytes += 200 + text(g.uuid()) + text(g.problem());
      for (GpuProcess p : g.processes()) {
        bytes += 64 + text(p.processName());
      }
    }
    return bytes;
  }

  private static long text(String s) {
    return s == null ? 0 : 48 + 2L * s.length();
  }
}
