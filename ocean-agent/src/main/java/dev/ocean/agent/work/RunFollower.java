package dev.ocean.agent.work;

import dev.ocean.agent.runtime.AdoptedRun;
import dev.ocean.agent.runtime.RunHandle;
import dev.ocean.agent.runtime.RunRuntime;
import dev.ocean.agent.runtime.RunRuntimeException;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.agent.runtime.SpoolLogSink;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.job.RunReport;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.ExecutionException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Takes one run through its life on this node, in its own virtual thread:
 *
 * <pre>
 *   start on the runtime ──► report running ──► await exit ──► ship the rest of the log
 *      │ (or adopted after a restart)                              │
 *      └─ start failed ──► report failed (reason)                  ▼
 *                                      report succeeded / failed / cancelled ──► remove
 * </pre>
 *
 * The final report waits until the whole log is on the server, so a user following the log sees
 * every line before the run ends; a short rest of the log (up to {@link #INLINE_LOG} bytes) goes
 * with the report itself, stored before the run ends. A stop request stops the run (SIGTERM,
 * SIGKILL after the grace) and makes it end {@code cancelled}; a marker file keeps that across an
 * agent restart. If the agent shuts down midway, nothing is removed: the next agent re-adopts the
 * run and goes on.
 */
final class RunFollower {
  private static final Logger LOG = LoggerFactory.getLogger(RunFollower.class);
  private static final Duration HOST_KEY_POLL = Duration.ofMillis(100);
  private static final Duration HOST_KEY_FIRST = Duration.ofSeconds(5);
  private static final Duration HOST_KEY_LATE = Duration.ofMinutes(2);

  /** The most unshipped log bytes that go with a run's end report instead of on their own. */
  static final int INLINE_LOG = 16 * 1024;

  /** What all followers share. */
  record Context(
      RunRuntime runtime,
      ReportOutbox reports,
      LogShipper shipper,
      WorkTiming timing,
      Path spoolDir,
      Path cancelDir,
      java.util.function.Consumer<String> onDone) {}

  private final Context ctx;
  private final String runId;
  private final RunSpec spec;
  private final RunReport only;
  private RunHandle handle;
  private boolean stopRequested;
  private Thread thread;

  private RunFollower(Context ctx, String runId, RunSpec spec, RunHandle handle, RunReport only) {
    this.ctx = ctx;
    this.runId = runId;
    this.spec = spec;
    this.handle = handle;
    this.only = only;
  }

  /** A follower that starts {@code spec} on the runtime. */
  static RunFollower toStart(Context ctx, RunSpec spec) {
    return new RunFollower(ctx, spec.runId(), spec, null, null);
  }

  /** A follower for a run found again after an agent restart. */
  static RunFollower adopted(Context ctx, AdoptedRun run) {
    RunFollower follower = new RunFollower(ctx, run.runId(), null, run.handle(), null);
    follower.stopRequested = Files.exists(follower.cancelMarker());
    return follower;
  }

  /**
   * A follower for a run that never reaches the runtime (unfit assignment, cancelled before it
   * started); it only delivers {@code report}.
   */
  static RunFollower reportOnly(Context ctx, String runId, RunReport report) {
    return new RunFollower(ctx, runId, null, null, report);
  }

  String runId() {
    return runId;
  }

  synchronized void start() {
    thread = Thread.ofVirtual().name("ocean-run-" + runId).start(this::run);
  }

  /** Stops the run, now or as soon as it has started; it will end {@code cancelled}. */
  void requestStop() {
    synchronized (this) {
      if (stopRequested) {
        return;
      }
      stopRequested = true;
      if (handle == null) {
        return; // not started yet: run() checks before and after starting
      }
    }
    stopAsync();
  }

  /** Leaves the run alone and stops following it, as an agent shutting down does. */
  synchronized void abandon() {
    if (thread != null) {
      thread.interrupt();
    }
  }

  private void run() {
    try {
      follow();
      cleanUp();
    } catch (InterruptedException e) {
      LOG.debug("run {}: no longer followed; the next agent adopts it", runId);
    } catch (RuntimeException e) {
      LOG.error("run {}: following it failed; the next agent adopts it", runId, e);
    }
  }

  private void follow() throws InterruptedException {
    if (only != null) {
      report(only);
      return;
    }
    if (handle == null) {
      if (stopNowRequested()) {
        report(new RunReport("cancelled", null, null, null, null));
        return;
      }
      RunHandle started;
      try {
        started = startRun();
      } catch (RunRuntimeException | IOException | IllegalArgumentException e) {
        LOG.warn("run {}: cannot start: {}", runId, e.getMessage());
        report(new RunReport("failed", null, e.getMessage(), null, null));
        return;
      }
      boolean stopNow;
      synchronized (this) {
        handle = started;
        stopNow = stopRequested;
      }
      if (stopNow) {
        stopAsync();
      }
    }
    String volumeSeen = spec == null ? null : ctx.runtime().volumeSeenAt(spec);
    InstanceEndpoints endpoints = awaitEndpoints(HOST_KEY_FIRST);
    // Not waited for: a short run's end (with its log) then goes in the same request.
    ctx.reports()
        .send(runId, new RunReport("running", null, null, volumeSeen, endpoints), null, null)
        .thenAccept(
            taken -> {
              if (!taken) {
                LOG.warn("run {}: the server no longer wants it; stopping it", runId);
                Thread.ofVirtual().name("ocean-stop-" + runId).start(this::stopQuietly);
              }
            });
    if (spec != null) {
      ctx.shipper().followNew(runId);
    } else {
      ctx.shipper().follow(runId); // adopted: the server may hold some of its log
    }
    if (endpoints != null && !complete(endpoints)) {
      // the init creates the host key and starts sshd and code-server after the container
      // started: tell the server once it has, so it shows only what answers
      InstanceEndpoints later = awaitEndpoints(HOST_KEY_LATE);
      if (later != null && !later.equals(endpoints)) {
        report(new RunReport("running", null, null, volumeSeen, later));
      }
    }
    RunReport last = finalReport();
    LogShipper.Rest rest =
        ctx.reports().batches() ? ctx.shipper().finishWithReport(runId, INLINE_LOG) : null;
    if (rest != null) {
      ctx.reports().deliver(runId, last, rest.offset(), rest.bytes());
      return;
    }
    try {
      ctx.shipper().finish(runId).get();
    } catch (ExecutionException e) {
      throw new IllegalStateException(e.getCause());
    }
    report(last);
  }

  /**
   * An instance's endpoints, waiting up to {@code max} (while the run lives) for its host key; null
   * for a job's run.
   */
  private InstanceEndpoints awaitEndpoints(Duration max) throws InterruptedException {
    long deadline = System.nanoTime() + max.toNanos();
    while (true) {
      InstanceEndpoints found = ctx.runtime().endpoints(runId).orElse(null);
      if (found == null
          || complete(found)
          || handle.exitCode().isDone()
          || System.nanoTime() > deadline) {
        return found;
      }
      Thread.sleep(HOST_KEY_POLL);
    }
  }

  /** Whether the init said what it started and, with an sshd, its host key exists. */
  private static boolean complete(InstanceEndpoints e) {
    return e.servicesKnown() && (!e.sshd() || e.hostKey() != null);
  }

  private RunHandle startRun() throws IOException {
    if (spec.volumeDir() != null) {
      Files.createDirectories(spec.volumeDir());
    }
    // no runtime knew this run, so a spool left by a crash before it started is stale
    Files.deleteIfExists(SpoolLogSink.fileOf(ctx.spoolDir(), runId));
    SpoolLogSink sink = SpoolLogSink.open(ctx.spoolDir(), runId);
    try {
      return ctx.runtime().start(spec, sink);
    } catch (RuntimeException e) {
      sink.close(); // a runtime that failed early may not have taken it over
      throw e;
    }
  }

  /** Waits for the run's exit and says how it ended. */
  private RunReport finalReport() throws InterruptedException {
    Integer code;
    String reason = null;
    try {
      code = handle.exitCode().get();
    } catch (ExecutionException e) {
      code = RunRuntime.EXIT_UNKNOWN;
      reason = "the agent lost track of the run: " + e.getCause().getMessage();
    }
    if (code == RunRuntime.EXIT_UNKNOWN && reason == null) {
      reason = "the run ended while the agent was down; its exit code is unknown";
    }
    // An exit code the agent does not know is reported as none, never as a made-up number.
    Integer reported = code == RunRuntime.EXIT_UNKNOWN ? null : code;
    if (stopNowRequested()) {
      return new RunReport("cancelled", reported, null, null, null);
    }
    return new RunReport(code == 0 ? "succeeded" : "failed", reported, reason, null, null);
  }

  private boolean report(RunReport report) throws InterruptedException {
    return ctx.reports().deliver(runId, report, null, null);
  }

  private synchronized boolean stopNowRequested() {
    return stopRequested;
  }

  private void stopAsync() {
    try {
      Files.createDirectories(ctx.cancelDir());
      Files.writeString(cancelMarker(), "cancelled\n");
    } catch (IOException e) {
      LOG.warn("run {}: cannot record the cancel request: {}", runId, e.toString());
    }
    Thread.ofVirtual().name("ocean-stop-" + runId).start(this::stopQuietly);
  }

  private void stopQuietly() {
    try {
      ctx.runtime().stop(runId, ctx.timing().stopGrace());
    } catch (RuntimeException e) {
      LOG.warn("run {}: cannot stop it: {}", runId, e.getMessage());
    }
  }

  /** Forgets the run once the server has its end: runtime resources, spool, marker. */
  private void cleanUp() {
    try {
      if (only != null) {
        return; // never touched the runtime, and its id may be unfit for a file name
      }
      if (handle != null) {
        ctx.runtime().remove(runId);
      }
      Files.deleteIfExists(SpoolLogSink.fileOf(ctx.spoolDir(), runId));
      Files.deleteIfExists(cancelMarker());
    } catch (RuntimeException | IOException e) {
      LOG.warn("run {}: cannot clean up after it: {}", runId, e.toString());
    } finally {
      ctx.onDone().accept(runId);
    }
  }

  private Path cancelMarker() {
    return ctx.cancelDir().resolve(runId + ".cancelled");
  }
}
