package dev.ocean.server.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.server.cluster.Leadership;
import dev.ocean.server.scheduler.ClusterSnapshot;
import dev.ocean.server.scheduler.ParallelLimit;
import dev.ocean.server.scheduler.Placement;
import dev.ocean.server.scheduler.Plan;
import dev.ocean.server.scheduler.QueuedRun;
import dev.ocean.server.scheduler.Scheduler;
import dev.ocean.server.scheduler.Wait;
import dev.ocean.server.scheduler.WaitReason;
import java.time.Clock;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Runs the scheduler whenever something changed (a submission, a run's end, a node's change): reads
 * the cluster and the queue, asks the pure {@link Scheduler} for a plan, and commits the placements
 * in one transaction before telling the agents.
 */
public final class SchedulerLoop implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(SchedulerLoop.class);
  private static final long MAX_REST_MILLIS = 200;

  /** How long after a pass a submission alone waits before the next ({@link #kickSoon}). */
  static final long SUBMISSION_REST_MILLIS = 50;

  private final Jdbi jdbi;
  private final Clock clock;
  private final Signals signals;
  private final WaitBoard waits;
  private final JobService jobs;
  private final Scheduler scheduler = new Scheduler();
  private final SchedulerReads reads;
  private final Semaphore kicks = new Semaphore(0);

  /** Whether a {@link #kick} (not only submissions' {@link #kickSoon}) waits for a pass. */
  private final java.util.concurrent.atomic.AtomicBoolean urgent =
      new java.util.concurrent.atomic.AtomicBoolean();

  private final Thread thread;
  private volatile boolean running = true;
  private Handle handle;
  private java.util.function.Predicate<String> heardSinceStart = name -> true;
  private Leadership leadership = Leadership.always();
  private GpuChoice.Load gpuLoad = GpuChoice.Load.NONE;

  public SchedulerLoop(
      Jdbi jdbi,
      Clock clock,
      ObjectMapper mapper,
      Signals signals,
      WaitBoard waits,
      JobService jobs) {
    this.jobs = jobs;
    this.jdbi = jdbi;
    this.clock = clock;
    this.reads = new SchedulerReads(mapper);
    this.signals = signals;
    this.waits = waits;
    this.thread = Thread.ofPlatform().name("ocean-scheduler").daemon(true).unstarted(this::loop);
  }

  /** Places work only on nodes whose agents have answered since this server started. */
  public SchedulerLoop placeOnlyOnNodesHeardFrom(java.util.function.Predicate<String> heard) {
    this.heardSinceStart = heard;
    return this;
  }

  /**
   * Schedules only while {@code leadership} says this server leads (servers sharing a database); a
   * pass starts by checking that, and each pass's transaction is fenced against another's.
   */
  public SchedulerLoop ledBy(Leadership leadership) {
    this.leadership = leadership;
    return this;
  }

  /** Hands out GPUs that processes outside Ocean use (as the node's metrics say) last. */
  public SchedulerLoop preferIdleGpus(dev.ocean.server.node.MetricsHistory history) {
    this.gpuLoad = GpuChoice.fromMetrics(history);
    return this;
  }

  public SchedulerLoop start() {
    thread.start();
    kick();
    return this;
  }

  /** Asks for a pass soon; many kicks in a burst make one pass. */
  public void kick() {
    urgent.set(true);
    kicks.release();
  }

  /**
   * Asks for a pass for new submissions: it starts at the earliest {@value #SUBMISSION_REST_MILLIS}
   * ms after the last pass ended (at once when that is longer ago), or at once when a {@link #kick}
   * comes meanwhile. A stream of submissions, each a kick, otherwise made one pass over the whole
   * queue per submission (about 3 ms of CPU each with a thousand pending runs, from one client); a
   * run that waits for a freed slot is placed as before.
   */
  public void kickSoon() {
    kicks.release();
  }

  /**
   * Passes follow kicks, but after a pass that took {@code d} the next one starts {@code 2d} later
   * at the earliest (at most {@value #MAX_REST_MILLIS} ms): a stream of submissions, each a kick,
   * would otherwise keep one of the machine's cores re-reading a long queue (and its garbage keep
   * the collector busy), taking it from the requests themselves. Kicks arriving meanwhile make one
   * pass.
   */
  private void loop() {
    long restUntil = 0;
    long submissionsUntil = 0;
    while (running) {
      try {
        kicks.tryAcquire(5, TimeUnit.SECONDS);
        long rest = restUntil - System.nanoTime();
        if (rest > 0) {
          TimeUnit.NANOSECONDS.sleep(rest);
        }
        for (long wait = submissionsUntil - System.nanoTime();
            wait > 0 && !urgent.get() && running;
            wait = submissionsUntil - System.nanoTime()) {
          kicks.tryAcquire(wait, TimeUnit.NANOSECONDS); // a kick() ends the wait
        }
        urgent.set(false);
        kicks.drainPermits();
        if (running) {
          long start = System.nanoTime();
          pass();
          long end = System.nanoTime();
          restUntil = end + Math.min(2 * (end - start), MAX_REST_MILLIS * 1_000_000L);
          submissionsUntil = end + SUBMISSION_REST_MILLIS * 1_000_000L;
        }
      } catch (InterruptedException e) {
        return;
      } catch (RuntimeException e) {
        LOG.warn("scheduling pass failed; will retry", e);
      }
    }
  }

  /**
   * One scheduling pass; public so tests can drive it synchronously. A server that does not lead
   * plans without placing anything, only to know why each run waits (its job views say so too).
   */
  public synchronized void pass() {
    try {
      passOnOwnConnection();
    } catch (RuntimeException e) {
      closeOwnHandle(); // a broken connection is not used again
      throw e;
    }
  }

  /**
   * The connection the scheduler keeps for itself: taking one from the pool each pass made the
   * scheduler queue behind hundreds of agent reports for a connection, while the runs those reports
   * freed waited for the pass.
   */
  private Handle ownHandle() {
    if (handle == null) {
      handle = jdbi.open();
    }
    return handle;
  }

  private synchronized void closeOwnHandle() {
    if (handle != null) {
      try {
        handle.close();
      } catch (RuntimeException e) {
        LOG.debug("closing the scheduler's connection", e);
      }
      handle = null;
    }
  }

  private void passOnOwnConnection() {
    // Reading the cluster and the queue and planning take no write lock: only this thread of the
    // leading server places runs, so the plan's GPUs stay free until it commits, and the commit
    // re-checks what others change meanwhile (a run cancelled, a node drained or lost). A pass that
    // places nothing writes nothing, so submissions and reports never wait for it. A server that
    // does not lead plans too, only for the wait reasons it shows.
    boolean leading = leadership.confirm();
    record Snapshot(ClusterSnapshot cluster, List<ParallelLimit.JobRuns> byJob) {}
    Handle own = ownHandle();
    Snapshot snap = new Snapshot(reads.cluster(own, heardSinceStart), SchedulerReads.queue(own));
    List<ParallelLimit.JobRuns> byJob = snap.byJob();
    Plan plan = scheduler.plan(snap.cluster(), ParallelLimit.eligible(byJob));
    List<Placement> placements =
        leading ? GpuChoice.prefer(plan.placements(), snap.cluster(), gpuLoad) : List.of();
    List<String> touched =
        placements.isEmpty()
            ? List.of()
            : own.inTransaction(
                h -> {
                  leadership.fence(h);
                  return jobs.assign(h, onReadyNodes(h, placements), clock.millis());
                });
    Set<String> placed = new HashSet<>();
    for (Placement p : plan.placements()) {
      placed.add(p.jobId() + "-" + p.runIndex());
    }
    Map<String, Wait> board = new LinkedHashMap<>();
    for (Wait w : plan.waits()) {
      board.put(w.jobId() + "-" + w.runIndex(), w);
    }
    int position = plan.waits().size();
    for (ParallelLimit.JobRuns j : byJob) {
      for (QueuedRun r : j.pending()) {
        String k = r.jobId() + "-" + r.runIndex();
        if (!board.containsKey(k) && !placed.contains(k)) {
          board.put(
              k,
              new Wait(
                  r.jobId(),
                  r.runIndex(),
                  ++position,
                  WaitReason.PARALLEL_LIMIT,
                  "parallel limit: " + j.parallel() + " run(s) of this job already active"));
        }
      }
    }
    waits.replace(board);
    touched.stream().distinct().forEach(n -> signals.signal(AgentWork.key(n)));
  }

  /**
   * The placements whose node is still READY now, inside the committing transaction (which holds
   * SQLite's write lock: only the placed nodes are read, not every node of a big cluster).
   */
  private static List<Placement> onReadyNodes(Handle h, List<Placement> placements) {
    Set<String> ready =
        SchedulerReads.readyAmong(
            h, placements.stream().map(Placement::node).distinct().sorted().toList());
    return placements.stream().filter(p -> ready.contains(p.node())).toList();
  }

  /** Who holds which GPU now: node → index → "user (job N run I)". */
  public Map<String, Map<Integer, String>> holders() {
    return GpuHolders.of(jdbi);
  }

  @Override
  public void close() {
    running = false;
    kick();
    thread.interrupt();
    closeOwnHandle();
  }
}
