package dev.ocean.server.logs;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Supplier;

/**
 * The newest bytes of the logs someone follows on this server, in memory: a chunk an agent appended
 * here, or what one follower just read from the store, serves every other follower of that run
 * without another read of the file or the database (100 followers of a chatty run on PostgreSQL
 * were 200 queries a line). A tail is tagged with the wake-up version it was current at: a follower
 * uses it only at that very version, so a tail never hides bytes a later wake-up announced, nor
 * outlives a rotation. Bytes at an offset never change, so a hit is the answer a read of the store
 * would have given. Memory: at most {@link #MAX_BYTES} per followed run.
 */
public final class LogTails {
  /** Most bytes kept per followed run: a few agent chunks, for a follower a little behind. */
  static final int MAX_BYTES = 4 * 1024 * 1024;

  /** A piece of a log: {@code len} bytes of {@code array} from {@code off}, at byte {@code at}. */
  record Piece(long at, byte[] array, int off, int len) {
    long end() {
      return at + len;
    }
  }

  /** What a read returns: bytes (possibly none), and whether they reach the log's end. */
  public record Read(byte[] array, int off, int len, boolean atEnd) {
    static Read of(byte[] b, int max) {
      return new Read(b, 0, b.length, b.length < max);
    }
  }

  /** What a tail holds: at {@code version}, the log ends with {@code pieces} (in order). */
  private record Kept(long version, List<Piece> pieces, long bytes) {
    static final Kept NONE = new Kept(-1, List.of(), 0);
  }

  private static final class Tail {
    final Object reading = new Object();
    volatile Kept kept = Kept.NONE;
    int followers;

    /** Read without a lock: 100 followers woken by one append do not queue for a monitor. */
    Read slice(long seen, long pos, int max) {
      Kept k = kept;
      if (k.version() != seen || k.pieces().isEmpty() || pos < k.pieces().getFirst().at()) {
        return null;
      }
      Piece lastPiece = k.pieces().getLast();
      for (Piece p : k.pieces()) {
        if (pos < p.end()) {
          int skip = (int) (pos - p.at());
          int n = Math.min(p.len() - skip, max);
          boolean last = p == lastPiece && n == p.len() - skip;
          return new Read(p.array(), p.off() + skip, n, last);
        }
      }
      return pos == lastPiece.end() ? new Read(new byte[0], 0, 0, true) : null;
    }

    /** The log, at {@code v}, ends with {@code p}: keep it after what it continues, or alone. */
    synchronized void offer(long v, Piece p) {
      Kept k = kept;
      if (v < k.version()) {
        return; // an older answer than the one kept (versions only grow, see Signals)
      }
      List<Piece> pieces = new ArrayList<>();
      long bytes = 0;
      if (!k.pieces().isEmpty() && k.pieces().getLast().end() == p.at()) {
        pieces.addAll(k.pieces());
        bytes = k.bytes();
      }
      if (p.len() > 0 || pieces.isEmpty()) {
        pieces.add(p);
        bytes += p.len();
      }
      while (bytes > MAX_BYTES && pieces.size() > 1) {
        bytes -= pieces.removeFirst().len();
      }
      kept = new Kept(v, List.copyOf(pieces), bytes);
    }

    synchronized void clear() {
      kept = Kept.NONE;
    }
  }

  private final ConcurrentHashMap<String, Tail> tails = new ConcurrentHashMap<>();

  /** A follower's hold on a run's tail. */
  public interface Following extends AutoCloseable {
    @Override
    void close();
  }

  /** Keeps the tail of {@code key} while someone follows it; close the result when done. */
  Following follow(String key) {
    tails.compute(
        key,
        (k, t) -> {
          Tail tail = t == null ? new Tail() : t;
          tail.followers++;
          return tail;
        });
    return () ->
        tails.computeIfPresent(
            key,
            (k, t) -> {
              t.followers--;
              return t.followers == 0 ? null : t;
            });
  }

  /**
   * After an append here whose signal makes the version {@code v}, with no other signal of {@code
   * key} in between (see {@link dev.ocean.server.job.Signals#signalAfter}): {@code p} ends the log.
   * Called before the signal's waiters run, so they find it.
   */
  void appended(String key, long v, Piece p) {
    Tail t = tails.get(key);
    if (t != null) {
      t.offer(v, p);
    }
  }

  /** A rotation started a new log: what was kept is another attempt's. */
  void rotated(String key) {
    Tail t = tails.get(key);
    if (t != null) {
      t.clear();
    }
  }

  /**
   * Up to {@code max} bytes from {@code pos} as of version {@code seen}: from the tail when it
   * holds them at that version, else from {@code store} once for all followers asking at once.
   */
  Read read(String key, long seen, long pos, int max, Supplier<byte[]> store) {
    Tail t = tails.get(key);
    if (t == null) {
      return Read.of(store.get(), max);
    }
    Read hit = t.slice(seen, pos, max);
    if (hit != null) {
      return hit;
    }
    synchronized (t.reading) {
      hit = t.slice(seen, pos, max); // another follower may have just read it
      if (hit != null) {
        return hit;
      }
      byte[] b = store.get();
      if (b.length < max) {
        // read after `seen` was taken, up to the end: the log's end as far as `seen` knows
        t.offer(seen, new Piece(pos, b, 0, b.length));
      }
      return Read.of(b, max);
    }
  }
}
