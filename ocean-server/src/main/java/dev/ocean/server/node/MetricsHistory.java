package dev.ocean.server.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Recent metrics per node (GPU samples included), in memory and bounded twice: the last {@code
 * capacity} heartbeats of each node (an hour at the default 5 s interval), and the bytes they hold,
 * per node and over all nodes, so that nodes sending big samples cannot run the server out of
 * memory. When a bound is reached, the oldest samples go first.
 *
 * <p>Each node's latest sample is kept as it came; the older ones as encoded JSON, one array per
 * sample. At 10,000 nodes heartbeating every 5 s, keeping every sample as its objects (about thirty
 * for an 8-GPU node) made the heap grow by 8 MB a second of objects that all outlived the young
 * generation: each young collection copied them (pauses of 25-34 ms) and a full one had to come
 * every 20 s (341 ms). One array per sample is about a sixth of the bytes and one object.
 */
public final class MetricsHistory {
  /** Default bytes one node's samples may hold (an hour of an 8-GPU node takes about 0.5 MiB). */
  public static final long DEFAULT_NODE_BYTES = 4L << 20;

  /** Default bytes all nodes' samples may hold together. */
  public static final long DEFAULT_TOTAL_BYTES = 96L << 20;

  /** What one kept sample costs beyond its bytes: the array's header and its place in the queue. */
  static final int OVERHEAD = 48;

  private static final ObjectMapper JSON = Json.newMapper();

  private final int capacity;
  private final long nodeBytes;
  private final long totalBytes;
  private final AtomicLong held = new AtomicLong();
  private final Map<String, Samples> samples = new ConcurrentHashMap<>();

  /** One node's samples: the older ones encoded, oldest first, then the latest as it came. */
  private static final class Samples {
    final ArrayDeque<byte[]> older = new ArrayDeque<>();
    NodeMetrics latest;

    /** The latest, encoded already: it joins {@link #older} when the next one comes. */
    byte[] latestEncoded;

    long bytes;

    int size() {
      return older.size() + (latest == null ? 0 : 1);
    }
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
    byte[] encoded = encode(m);
    long size = encoded.length + OVERHEAD;
    Samples s = samples.computeIfAbsent(node, n -> new Samples());
    synchronized (s) {
      if (s.latestEncoded != null) {
        s.older.addLast(s.latestEncoded);
      }
      s.latest = m;
      s.latestEncoded = encoded;
      s.bytes += size;
      held.addAndGet(size);
      // The newest sample always stays, so a node is never shown without its latest reading.
      while (!s.older.isEmpty()
          && (s.size() > capacity || s.bytes > nodeBytes || held.get() > totalBytes)) {
        dropOldest(s);
      }
    }
    // Still over the total: other nodes give up their oldest samples too (one lock at a time).
    for (Samples other : samples.values()) {
      if (held.get() <= totalBytes) {
        return;
      }
      synchronized (other) {
        while (!other.older.isEmpty() && held.get() > totalBytes) {
          dropOldest(other);
        }
      }
    }
  }

  private void dropOldest(Samples s) {
    long gone = s.older.removeFirst().length + OVERHEAD;
    s.bytes -= gone;
    held.addAndGet(-gone);
  }

  public Optional<NodeMetrics> latest(String node) {
    Samples s = samples.get(node);
    if (s == null) {
      return Optional.empty();
    }
    synchronized (s) {
      return Optional.ofNullable(s.latest);
    }
  }

  public List<NodeMetrics> history(String node) {
    Samples s = samples.get(node);
    if (s == null) {
      return List.of();
    }
    List<byte[]> older;
    NodeMetrics latest;
    synchronized (s) {
      older = List.copyOf(s.older);
      latest = s.latest;
    }
    List<NodeMetrics> all = new ArrayList<>(older.size() + 1);
    for (byte[] b : older) {
      all.add(decode(b));
    }
    if (latest != null) {
      all.add(latest);
    }
    return List.copyOf(all);
  }

  /** The bytes all samples hold now (as encoded, with {@link #OVERHEAD} each). */
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

  /** The bytes one sample takes when kept. */
  static long sizeOf(NodeMetrics m) {
    return encode(m).length + OVERHEAD;
  }

  private static byte[] encode(NodeMetrics m) {
    try {
      return JSON.writeValueAsBytes(m);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static NodeMetrics decode(byte[] b) {
    try {
      return JSON.readValue(b, NodeMetrics.class);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
