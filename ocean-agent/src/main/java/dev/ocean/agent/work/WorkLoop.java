package dev.ocean.agent.work;

import dev.ocean.agent.runtime.AdoptedRun;
import dev.ocean.agent.runtime.RunRuntime;
import dev.ocean.agent.runtime.RunRuntimeException;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.agent.runtime.SpoolLogSink;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.client.OceanClientException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the jobs the server assigns to this node: long-polls for work, starts each new run on the
 * {@link RunRuntime} with its output spooled under {@code <workDir>/spool}, stops cancelled runs,
 * ships logs and reports every run's state until the server has it.
 *
 * <p>At start it re-adopts the runs an earlier agent left behind ({@link RunRuntime#recover}),
 * follows the running ones to their end and reports the ended ones, and names them all as {@code
 * known} in its polls, so the server does not hand them out again. Repeated assignments and stop
 * requests are expected and ignored.
 */
public final class WorkLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(WorkLoop.class);
  private static final int DONE_REMEMBERED = 4096;

  private final WorkApi api;
  private final RunRuntime runtime;
  private final Path storageRoot;
  private final WorkTiming timing;
  private final Path spoolDir;
  private final LogShipper shipper;
  private final ReportOutbox reports;
  private final ReportingPoll polls;
  private final RunFollower.Context context;
  private final Map<String, RunFollower> followers = new ConcurrentHashMap<>();

  /** Runs this agent finished, with the attempt it ran: a later attempt may come back here. */
  private final Map<String, Integer> done = Collections.synchronizedMap(recentMap());

  private final Map<String, Integer> attempts = new ConcurrentHashMap<>();
  private final Thread poller;
  private volatile TunnelOpener tunnels;
  private volatile boolean closed;
  private boolean recovered;
  private final LastingProblem recoverProblem = new LastingProblem();

  /**
   * A loop that runs work on {@code runtime}, which it owns and closes.
   *
   * @param workDir where the log spool ({@code spool/}) and cancel markers live; keep it across
   *     restarts
   * @param storageRoot where volumes live on this node (an assignment's volume path is relative to
   *     it), or null when the node has no shared storage
   */
  private volatile Path caCert;

  public WorkLoop(
      WorkApi api, RunRuntime runtime, Path workDir, Path storageRoot, WorkTiming timing) {
    this.api = api;
    this.runtime = runtime;
    this.storageRoot = storageRoot == null ? null : storageRoot.toAbsolutePath().normalize();
    this.timing = timing;
    this.spoolDir = workDir.resolve("spool");
    this.shipper = new LogShipper(api, spoolDir, timing);
    this.reports = new ReportOutbox(api, timing, () -> closed);
    this.polls = new ReportingPoll(api, reports, timing);
    this.context =
        new RunFollower.Context(
            runtime,
            reports,
            shipper,
            timing,
            spoolDir,
            workDir.resolve("cancelled"),
            this::forget);
    this.tunnels =
        new TunnelOpener(
            api::client, PortOpener.refusing("this node's runtime cannot reach ports in runs yet"));
    // virtual, so that close() interrupting it also aborts a long poll blocked on its socket
    this.poller = Thread.ofVirtual().name("ocean-work-poll").unstarted(this::poll);
  }

  /**
   * Re-adopts earlier runs, then starts polling for work. When the runtime cannot be reached yet
   * (container engine still starting), the loop keeps trying before it asks for any work, since new
   * runs must not start before the old ones are known.
   */
  public WorkLoop start() {
    shipper.start();
    reports.start();
    recover();
    poller.start();
    return this;
  }

  /**
   * Hands every run the certificates in {@code caCert} (the agent's {@code --ca-cert}) as {@code
   * OCEAN_CA_CERT_PEM}, so that {@code ocean} in a run trusts the server as the agent does. The
   * text rather than the path: a job's user may not read the agent's file, and a container has no
   * such path. Read at each run's start, so a renewed file reaches the next runs.
   */
  public WorkLoop handRunsTheCaCert(Path caCert) {
    this.caCert = caCert;
    return this;
  }

  /** Reaches ports inside runs with {@code ports} for the tunnels the server asks for. */
  public WorkLoop openTunnelsWith(PortOpener ports) {
    this.tunnels = new TunnelOpener(api::client, ports);
    return this;
  }

  /** Adopts what the runtime still knows of; false when it could not be asked. */
  private boolean recover() {
    try {
      for (AdoptedRun run : runtime.recover(this::reopenSpool)) {
        LOG.info("adopted run {} ({})", run.runId(), run.running() ? "running" : "ended");
        launch(RunFollower.adopted(context, run));
      }
      recovered = true;
      if (recoverProblem.ended()) {
        LOG.info("the runtime answers again; earlier runs are re-adopted");
      }
    } catch (RuntimeException e) {
      if (recoverProblem.failing(e.getMessage(), System.nanoTime())) {
        LOG.warn(
            "cannot re-adopt earlier runs yet: {}; trying again with every poll for work (said"
                + " again when it changes, or every {} minutes)",
            e.getMessage(),
            LastingProblem.REPEAT.toMinutes());
      }
    }
    return recovered;
  }

  /** The runs this agent is following now, started or adopted and not yet fully reported. */
  public Set<String> activeRuns() {
    return Set.copyOf(followers.keySet());
  }

  private SpoolLogSink reopenSpool(String runId) {
    try {
      return SpoolLogSink.open(spoolDir, runId);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot open the spool of run " + runId, e);
    }
  }

  private void poll() {
    Backoff backoff = timing.backoff();
    while (!closed) {
      Duration pause;
      try {
        if (!recovered) {
          // Polling goes on while the runtime is down: new runs then fail with its reason and
          // cancelled ones end, instead of waiting unseen for an engine that may never come.
          recover();
        }
        Work work = polls.next(followers.keySet(), recovered);
        backoff.reset();
        pause = take(work) || work.isEmpty() ? Duration.ZERO : timing.idlePause();
      } catch (OceanClientException e) {
        if (closed) {
          return;
        }
        pause = backoff.next();
        LOG.warn("cannot poll for work: {}; retrying in {} ms", e.getMessage(), pause.toMillis());
      } catch (RunRuntimeException e) {
        pause = backoff.next();
      } catch (RuntimeException e) {
        pause = backoff.next();
        LOG.error("handling work failed; retrying in {} ms", pause.toMillis(), e);
      } catch (Exception e) {
        // OkHttp (Kotlin) throws InterruptedException undeclared when the agent stops mid-poll:
        // the agent is stopping (SIGTERM), not failing, and its log should not say otherwise
        if (closed || e instanceof InterruptedException) {
          return;
        }
        pause = backoff.next();
        LOG.error("handling work failed; retrying in {} ms", pause.toMillis(), e);
      }
      if (pause.isPositive()) {
        reports.release(); // the reports of the runs it has go without waiting for the poll
      }
      try {
        Thread.sleep(pause);
      } catch (InterruptedException e) {
        return;
      }
    }
  }

  /**
   * Acts on one answer of the long poll.
   *
   * @return true when it held something new for this agent
   */
  private boolean take(Work work) {
    boolean news = false;
    for (var t : work.tunnels()) {
      news |= tunnels.open(t); // a repeat of one opened already is nothing new
    }
    for (String runId : work.stop()) {
      RunFollower follower = followers.get(runId);
      if (follower != null) {
        follower.requestStop();
      } else if (!done.containsKey(runId)) {
        // never started here: nothing to stop, the run just ends
        LOG.info("run {}: cancelled before it started", runId);
        launch(
            RunFollower.reportOnly(
                context, runId, new RunReport("cancelled", null, null, null, null)));
        news = true;
      }
    }
    List<String> fresh = new java.util.ArrayList<>();
    for (Assignment a : work.start()) {
      Integer finished = done.get(a.runId());
      if (!followers.containsKey(a.runId()) && (finished == null || finished < a.attempt())) {
        fresh.add(a.runId());
      }
    }
    reports.expect(fresh); // before they start: their first reports may come at once
    for (Assignment a : work.start()) {
      Integer finished = done.get(a.runId());
      if (followers.containsKey(a.runId()) || (finished != null && finished >= a.attempt())) {
        continue; // a repeat of what this agent runs or ran
      }
      attempts.put(a.runId(), a.attempt());
      news = true;
      if (work.stop().contains(a.runId())) {
        continue; // handled above as cancelled
      }
      RunFollower follower;
      try {
        if (!recovered) {
          RuntimeInfo health = runtime.probe();
          throw new RunRuntimeException(
              "the node's runtime cannot start runs: "
                  + (health.problem() != null
                      ? health.problem()
                      : "earlier runs could not be re-adopted yet"));
        }
        follower = RunFollower.toStart(context, spec(a));
      } catch (RuntimeException e) {
        LOG.warn("run {}: cannot run it: {}", a.runId(), e.getMessage());
        follower =
            RunFollower.reportOnly(
                context, a.runId(), new RunReport("failed", null, e.getMessage(), null, null));
      }
      LOG.info("starting run {}", a.runId());
      launch(follower);
    }
    return news;
  }

  private void launch(RunFollower follower) {
    if (followers.putIfAbsent(follower.runId(), follower) == null) {
      follower.start();
    }
  }

  /** The CA file's text for runs; null without one, or when it cannot be read (logged). */
  private String caCertText() {
    Path ca = caCert;
    if (ca == null) {
      return null;
    }
    try {
      String pem = Files.readString(ca);
      return pem.length() <= MAX_CA_CERT_CHARS && pem.contains("-----BEGIN") ? pem : null;
    } catch (IOException e) {
      LOG.warn("runs get no OCEAN_CA_CERT_PEM: cannot read {}: {}", ca, e.getMessage());
      return null;
    }
  }

  /** A CA bundle larger than this is not handed to runs (an environment is not a file store). */
  private static final int MAX_CA_CERT_CHARS = 64 * 1024;

  private void forget(String runId) {
    Integer attempt = attempts.remove(runId);
    done.put(runId, attempt == null ? 1 : attempt);
    followers.remove(runId);
  }

  /** The runtime's view of an assignment; throws with a reason a user can read when unfit. */
  RunSpec spec(Assignment a) {
    // OCEAN_SERVER is the URL this agent uses, so `ocean` in the run reaches the same server with
    // the OCEAN_TOKEN the server minted for the run.
    Map<String, String> env = new LinkedHashMap<>(a.env() == null ? Map.of() : a.env());
    env.put("OCEAN_SERVER", api.serverUrl());
    String pem = caCertText();
    if (pem != null) {
      env.put("OCEAN_CA_CERT_PEM", pem);
    }
    return RunSpec.of(a.runId(), a.jobId(), a.runIndex(), a.image(), orEmpty(a.command()))
        .withEnv(env)
        .withLimits(a.cpus(), a.memoryMib())
        .withGpus(orEmpty(a.gpus()))
        .withLabels(Map.of("ocean.kind", "job"))
        .withVolumeDir(volumeDir(a.volumePath()))
        .withInstance(a.instance());
  }

  private Path volumeDir(String volumePath) {
    if (volumePath == null) {
      return null;
    }
    if (storageRoot == null) {
      throw new RunRuntimeException(
          "this node has no volume storage configured (ocean-agent join --storage)");
    }
    Path dir = storageRoot.resolve(volumePath).normalize();
    if (!dir.startsWith(storageRoot) || dir.equals(storageRoot)) {
      throw new RunRuntimeException("volume path '" + volumePath + "' is outside the storage root");
    }
    return dir;
  }

  private static <T> List<T> orEmpty(List<T> list) {
    return list == null ? List.of() : list;
  }

  private static Map<String, Integer> recentMap() {
    return new LinkedHashMap<>() {
      @Override
      protected boolean removeEldestEntry(Map.Entry<String, Integer> eldest) {
        return size() > DONE_REMEMBERED;
      }
    };
  }

  /**
   * Stops every run this agent follows, as when its node was removed from the cluster: nothing it
   * started may keep running once no server wants it. Returns when all were told to stop.
   */
  public void stopAll() {
    for (String runId : followers.keySet()) {
      try {
        runtime.stop(runId, timing.stopGrace());
      } catch (RuntimeException e) {
        LOG.warn("run {}: cannot stop it: {}", runId, e.getMessage());
      }
    }
  }

  /** What the runtime can do now, for the heartbeat. */
  public RuntimeInfo runtimeHealth() {
    return runtime.probe();
  }

  /** Stops polling and following; the runs themselves go on and the next agent adopts them. */
  @Override
  public synchronized void close() {
    if (closed) {
      return;
    }
    closed = true;
    poller.interrupt();
    followers.values().forEach(RunFollower::abandon);
    reports.close();
    shipper.close();
    try {
      poller.join(5000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
    runtime.close();
  }
}
