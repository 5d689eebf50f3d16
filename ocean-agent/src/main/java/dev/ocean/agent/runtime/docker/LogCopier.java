package dev.ocean.agent.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocean.agent.runtime.LogSink;
import java.io.FilterInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Copies a container's output into its run's sink without depending on the engine ever answering a
 * follow request: Podman sometimes never answers {@code GET /containers/{id}/logs?follow=1} for a
 * container that has already exited, or stops sending a stream it began. A watchdog looks at every
 * follow in flight whose stream has been silent for the grace; once its container is seen exited
 * and the stream stays silent for the grace after that, it abandons the follow (closes its socket)
 * and the rest is read with a request that does not follow. A follow of a running container is
 * never abandoned, however long the job stays quiet.
 *
 * <p>No duplicate and no lost output: every request reads from the container's first byte and skips
 * the payload bytes the sink already holds beyond {@code offset} (see {@link DockerRuntime}), so
 * what an abandoned follow copied is not copied again.
 */
final class LogCopier implements AutoCloseable {

  private static final Logger log = LoggerFactory.getLogger(LogCopier.class);

  /** How long an exited container's follow stream may stay silent before it is abandoned. */
  static final Duration GRACE = Duration.ofSeconds(3);

  /** How often the watchdog looks at the follows in flight. */
  static final Duration TICK = Duration.ofSeconds(1);

  private static final Duration RESUME_PAUSE = Duration.ofMillis(200);
  private static final int READ_ATTEMPTS = 3;
  private static final long NOT_SEEN = Long.MIN_VALUE;
  private static final Set<String> STILL_ALIVE =
      Set.of("running", "paused", "restarting", "stopping");

  private final DockerEngineClient engine;
  private final long graceNanos;
  private final Set<Follow> follows = ConcurrentHashMap.newKeySet();
  private final ScheduledExecutorService watchdog;
  private volatile boolean closed;

  LogCopier(DockerEngineClient engine, Duration grace, Duration tick) {
    this.engine = engine;
    this.graceNanos = grace.toNanos();
    // platform thread: junixsocket blocks in native reads, which would pin a virtual thread
    this.watchdog =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().daemon().name("ocean-log-watchdog").factory());
    watchdog.scheduleWithFixedDelay(
        this::watch, tick.toMillis(), tick.toMillis(), TimeUnit.MILLISECONDS);
  }

  /**
   * Follows the output of container {@code id} into {@code sink} and returns once the container is
   * no longer running and the sink holds all it wrote, or once this copier is closed.
   */
  void follow(String runId, String id, LogSink sink, long offset)
      throws IOException, InterruptedException {
    while (!closed) {
      Follow follow = new Follow(id, engine.logsRequest(id, true));
      follows.add(follow);
      boolean ended = false;
      try (InputStream in = follow.request.open()) {
        follow.progressed();
        LogFrameDemuxer.copy(new Progress(in, follow), sink, skip(sink, offset));
        ended = true;
      } catch (IOException e) {
        if (closed) {
          return;
        }
        if (follow.abandoned) {
          log.info("run {} exited but its log stream stayed silent; reading the rest", runId);
        } else {
          log.warn("log stream of run {} broke, resuming: {}", runId, e.toString());
        }
      } finally {
        follows.remove(follow);
      }
      if (!isRunning(id)) {
        if (!ended) {
          copyAll(id, sink, offset); // what the broken or abandoned follow did not bring
        }
        return;
      }
      Thread.sleep(RESUME_PAUSE); // the stream ended early; pick it up where it stopped
    }
  }

  /** Copies what container {@code id} wrote so far and the sink does not hold yet, no following. */
  void copyAll(String id, LogSink sink, long offset) throws IOException {
    for (int attempt = 1; ; attempt++) {
      try (InputStream in = engine.logsRequest(id, false).open()) {
        LogFrameDemuxer.copy(in, sink, skip(sink, offset));
        return;
      } catch (DockerApiException e) {
        throw e;
      } catch (IOException e) {
        if (closed || attempt == READ_ATTEMPTS) {
          throw e;
        }
        log.warn("reading the log of container {} failed, again: {}", id, e.toString());
      }
    }
  }

  @Override
  public void close() {
    closed = true;
    watchdog.shutdownNow();
  }

  private static long skip(LogSink sink, long offset) throws IOException {
    return Math.max(0, sink.size() - offset);
  }

  /**
   * Whether the container may still write: running, paused (it goes on once unpaused), restarting
   * or stopping (Podman says {@code Running: false} while a stopped job's SIGTERM handler still
   * runs).
   */
  private boolean isRunning(String id) throws IOException {
    return engine.inspect(id).map(c -> c.path("State")).map(LogCopier::mayWrite).orElse(false);
  }

  private static boolean mayWrite(JsonNode state) {
    return state.path("Running").asBoolean()
        || state.path("Paused").asBoolean()
        || state.path("Restarting").asBoolean()
        || STILL_ALIVE.contains(state.path("Status").asText());
  }

  /** One watchdog round: abandons the follows of exited containers that stay silent. */
  private void watch() {
    for (Follow follow : follows) {
      try {
        long now = System.nanoTime();
        if (now - follow.lastProgress < graceNanos) {
          continue; // output flows (or just did): the stream is alive
        }
        if (isRunning(follow.id)) {
          follow.exitSeen = NOT_SEEN;
          continue; // a quiet job: its follow waits as long as it runs
        }
        if (follow.exitSeen == NOT_SEEN) {
          follow.exitSeen = now; // give the engine the grace to end the stream itself
        } else if (now - Math.max(follow.lastProgress, follow.exitSeen) >= graceNanos) {
          follow.abandon();
        }
      } catch (IOException | RuntimeException e) {
        log.debug("cannot look at container {}: {}", follow.id, e.toString());
      }
    }
  }

  /** A follow request in flight and when its stream last moved. */
  private static final class Follow {
    final String id;
    final DockerEngineClient.LogsRequest request;
    volatile long lastProgress = System.nanoTime();
    volatile long exitSeen = NOT_SEEN;
    volatile boolean abandoned;

    Follow(String id, DockerEngineClient.LogsRequest request) {
      this.id = id;
      this.request = request;
    }

    void progressed() {
      lastProgress = System.nanoTime();
    }

    void abandon() {
      abandoned = true;
      request.cancel();
    }
  }

  /** Notes every read that brought bytes as progress of its follow. */
  private static final class Progress extends FilterInputStream {
    private final Follow follow;

    Progress(InputStream in, Follow follow) {
      super(in);
      this.follow = follow;
    }

    @Override
    public int read() throws IOException {
      int b = super.read();
      if (b >= 0) {
        follow.progressed();
      }
      return b;
    }

    @Override
    public int read(byte[] b, int off, int len) throws IOException {
      int n = super.read(b, off, len);
      if (n > 0) {
        follow.progressed();
      }
      return n;
    }
  }
}
