package dev.ocean.agent.work;

import dev.ocean.agent.runtime.SpoolLogSink;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClientException;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Ships each followed run's spool file to the server by byte offset, every {@link
 * WorkTiming#shipInterval()} while the run writes output, so that a user's {@code logs -f} sees a
 * line well within a second.
 *
 * <p>The spool file is the source of truth: the shipper keeps only the server's size per run,
 * learnt first with a GET (so an agent restart neither repeats nor skips bytes) and then from each
 * acknowledgement. A 409 (gap) makes it ask again; an unreachable server pauses all shipping with
 * backoff and loses nothing. One thread serves all runs.
 */
final class LogShipper implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(LogShipper.class);

  /**
   * Largest chunk in one request: the server takes bodies of up to 1 MiB, and a run printing as
   * fast as it can ships four times faster in 1 MiB requests than in 256 KiB ones.
   */
  static final int CHUNK = 1024 * 1024;

  /** How long the shipper sleeps with no run to follow, unless a run starts first. */
  static final Duration IDLE_WAIT = Duration.ofMinutes(10);

  /** Chunks one run may send per round before the others get their turn. */
  private static final int CHUNKS_PER_ROUND = 4;

  private final WorkApi api;
  private final Path spoolDir;
  private final WorkTiming timing;
  private final Map<String, Stream> streams = new ConcurrentHashMap<>();
  private final Object wake = new Object();
  private final Thread thread;
  private boolean kicked;
  private volatile boolean closed;
  private volatile long rounds;

  LogShipper(WorkApi api, Path spoolDir, WorkTiming timing) {
    this.api = api;
    this.spoolDir = spoolDir;
    this.timing = timing;
    this.thread = Thread.ofPlatform().name("ocean-log-shipper").daemon(true).unstarted(this::run);
  }

  LogShipper start() {
    thread.start();
    return this;
  }

  /** Starts shipping the spool of {@code runId}; idempotent. */
  void follow(String runId) {
    streams.computeIfAbsent(runId, id -> new Stream(id, SpoolLogSink.fileOf(spoolDir, id)));
    kick();
  }

  /**
   * Starts shipping the spool of a run this agent just started: the server has none of its log yet
   * (no need to ask), and its first bytes go one {@link WorkTiming#shipInterval()} later, so that a
   * run ending sooner takes them along with its end ({@link #finishWithReport}).
   */
  void followNew(String runId) {
    Stream fresh = new Stream(runId, SpoolLogSink.fileOf(spoolDir, runId));
    fresh.serverSize = 0;
    fresh.notBefore = System.nanoTime() + timing.shipInterval().toNanos();
    if (streams.putIfAbsent(runId, fresh) == null) {
      kick(); // a shipper asleep with no run wakes up to the interval
    }
  }

  /** The unshipped end of a run's log, to send along with its end report. */
  record Rest(long offset, byte[] bytes) {}

  /**
   * Says that the run has ended, like {@link #finish}, and when at most {@code max} bytes of its
   * spool are not on the server yet, takes them off the shipper instead: the caller sends them with
   * the run's end report. Null when there are more, or the server's size is not known yet.
   */
  Rest finishWithReport(String runId, int max) {
    Stream s = streams.get(runId);
    if (s == null) {
      return null;
    }
    synchronized (s) {
      if (s.serverSize < 0) {
        return null;
      }
      try {
        long size = sizeOf(s.file);
        if (size - s.serverSize > max) {
          return null;
        }
        byte[] rest = read(s.file, s.serverSize, (int) (size - s.serverSize));
        s.handedOver = true;
        done(s);
        return new Rest(s.serverSize, rest);
      } catch (IOException e) {
        return null; // the shipper reports what it can
      }
    }
  }

  /**
   * Says that the run has ended (its spool is complete); the future completes once every byte is on
   * the server, or the server refused the log for good.
   */
  CompletableFuture<Void> finish(String runId) {
    follow(runId);
    Stream stream = streams.get(runId);
    stream.ending = true;
    kick();
    return stream.shipped;
  }

  @Override
  public void close() {
    closed = true;
    kick();
    try {
      thread.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** How many times the shipper has woken up, so tests can see that an idle agent sleeps. */
  long rounds() {
    return rounds;
  }

  private void kick() {
    synchronized (wake) {
      kicked = true;
      wake.notifyAll();
    }
  }

  private void run() {
    Backoff backoff = timing.backoff();
    while (!closed) {
      rounds++;
      // With no run to follow there is nothing to poll: sleep until follow() kicks.
      Duration wait = streams.isEmpty() ? IDLE_WAIT : timing.shipInterval();
      boolean more = false;
      try {
        for (Stream stream : streams.values()) {
          more |= ship(stream);
        }
        backoff.reset();
      } catch (OceanClientException e) {
        wait = backoff.next();
        LOG.warn("cannot ship logs: {}; retrying in {} ms", e.getMessage(), wait.toMillis());
      } catch (RuntimeException e) {
        wait = backoff.next();
        LOG.warn("shipping logs failed unexpectedly; retrying in {} ms", wait.toMillis(), e);
      }
      if (!more && !pause(wait)) {
        return;
      }
    }
  }

  /** Waits for {@code wait} or a kick; false when the thread should end. */
  private boolean pause(Duration wait) {
    synchronized (wake) {
      try {
        if (!kicked) {
          wake.wait(Math.max(1, wait.toMillis()));
        }
      } catch (InterruptedException e) {
        return false;
      }
      kicked = false;
    }
    return !closed;
  }

  /**
   * Sends what the server lacks of one run's spool, up to a round's share.
   *
   * @return true when bytes are left for another round
   */
  private boolean ship(Stream s) {
    synchronized (s) {
      if (s.handedOver || (!s.ending && System.nanoTime() - s.notBefore < 0)) {
        return false;
      }
      return shipLocked(s);
    }
  }

  private boolean shipLocked(Stream s) {
    boolean ending = s.ending; // read before the size: bytes written after it are not expected
    try {
      if (s.serverSize < 0) {
        s.serverSize = api.logSize(s.runId);
      }
      for (int i = 0; i < CHUNKS_PER_ROUND; i++) {
        long size = sizeOf(s.file);
        if (s.serverSize >= size) {
          if (ending) {
            done(s);
          }
          return false;
        }
        byte[] bytes = read(s.file, s.serverSize, (int) Math.min(CHUNK, size - s.serverSize));
        long before = s.serverSize;
        try {
          s.serverSize = api.appendLog(s.runId, before, bytes);
        } catch (LogGapException e) {
          s.serverSize = api.logSize(s.runId);
          LOG.info("run {}: log gap at {}; the server holds {}", s.runId, before, s.serverSize);
          if (s.serverSize >= before) { // no gap after all: the server will not take this log
            LOG.warn(
                "run {}: the server refuses its log at offset {}; not shipping it",
                s.runId,
                before);
            done(s);
            return false;
          }
        }
        if (s.serverSize == before) {
          return false; // no progress: try again next round rather than spin
        }
      }
      return true;
    } catch (OceanApiException e) {
      if (WorkApi.retryable(e)) {
        throw e;
      }
      LOG.warn("run {}: the server refused its log ({}); not shipping it", s.runId, e.getMessage());
      done(s);
      return false;
    } catch (IOException e) {
      LOG.warn("run {}: cannot read its spool {}: {}", s.runId, s.file, e.toString());
      if (ending) {
        done(s);
      }
      return false;
    }
  }

  private void done(Stream s) {
    streams.remove(s.runId, s);
    s.shipped.complete(null);
  }

  private static long sizeOf(Path file) throws IOException {
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      return channel.size();
    } catch (NoSuchFileException e) {
      return 0;
    }
  }

  private static byte[] read(Path file, long offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.allocate(length);
    try (FileChannel channel = FileChannel.open(file, StandardOpenOption.READ)) {
      while (buffer.hasRemaining()) {
        if (channel.read(buffer, offset + buffer.position()) < 0) {
          break;
        }
      }
    }
    buffer.flip();
    byte[] bytes = new byte[buffer.remaining()];
    buffer.get(bytes);
    return bytes;
  }

  /** One run's shipping state; {@code serverSize} is -1 until the server was asked. */
  private static final class Stream {
    final String runId;
    final Path file;
    final CompletableFuture<Void> shipped = new CompletableFuture<>();
    volatile boolean ending;
    long serverSize = -1;
    long notBefore = System.nanoTime(); // no bytes shipped before it
    boolean handedOver; // its rest went with the end report

    Stream(String runId, Path file) {
      this.runId = runId;
      this.file = file;
    }
  }
}
