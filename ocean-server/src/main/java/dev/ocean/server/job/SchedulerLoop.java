package dev.ocean.server.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.server.cluster.Leadership;
import dev.ocean.server.scheduler.ClusterSnapshot;
import dev.ocean.server.scheduler.NodeSnapshot;
import dev.ocean.server.scheduler.NodeStatus;
import dev.ocean.server.scheduler.ParallelLimit;
import dev.ocean.server.scheduler.Placement;
import dev.ocean.server.scheduler.Plan;
import dev.ocean.server.scheduler.QueuedRun;
import dev.ocean.server.scheduler.Scheduler;
import dev.ocean.server.scheduler.Wait;
import dev.ocean.server.scheduler.WaitReason;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
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

  private final Jdbi jdbi;
  private final Clock clock;
  private final Signals signals;
  private final WaitBoard waits;
  private final JobService jobs;
  private final Scheduler scheduler = new Scheduler();
  private final NodeTraits.Cache nodeTraits;
  private final Semaphore kicks = new Semaphore(0);
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
    this.nodeTraits = new NodeTraits.Cache(mapper);
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
    while (running) {
      try {
        kicks.tryAcquire(5, TimeUnit.SECONDS);
        long rest = restUntil - System.nanoTime();
        if (rest > 0) {
          TimeUnit.NANOSECONDS.sleep(rest);
        }
        kicks.drainPermits();
        if (running) {
          long start = System.nanoTime();
          pass();
          long took = System.nanoTime() - start;
          restUntil = System.nanoTime() + Math.min(2 * took, MAX_REST_MILLIS * 1_000_000L);
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
    Snapshot snap = new Snapshot(cluster(own), queue(own));
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

  /** The placements whose node is still READY now, inside the committing transaction. */
  private static List<Placement> onReadyNodes(Handle h, List<Placement> placements) {
    Set<String> ready =
        new HashSet<>(
            h.createQuery("SELECT name FROM nodes WHERE state = 'ready'")
                .mapTo(String.class)
                .list());
    return placements.stream().filter(p -> ready.contains(p.node())).toList();
  }

  private ClusterSnapshot cluster(Handle h) {
    Map<String, int[]> usedCpuMem = new HashMap<>();
    Map<String, List<Integer>> usedGpus = new HashMap<>();
    h.createQuery(
            "SELECT r.node, r.gpus, j.cpus, j.memory_gib FROM runs r JOIN jobs j ON j.id ="
                + " r.job_id WHERE r.state IN ('assigned', 'running')")
        .map(
            (rs, ctx) -> {
              String node = rs.getString("node");
              int[] u = usedCpuMem.computeIfAbsent(node, k -> new int[2]);
              u[0] += rs.getInt("cpus");
              u[1] += rs.getInt("memory_gib") * 1024;
              usedGpus
                  .computeIfAbsent(node, k -> new ArrayList<>())
                  .addAll(JobStore.gpus(rs.getString("gpus")));
              return node;
            })
        .list();
    List<NodeSnapshot> nodes = new ArrayList<>();
    h.createQuery(
            "SELECT name, state, cpus, memory_bytes, gpu_model, facts_json FROM nodes WHERE state <> 'removed' ORDER BY name")
        .map(
            (rs, ctx) -> {
              String name = rs.getString("name");
              NodeStatus status =
                  switch (rs.getString("state")) {
                    case "ready" -> heardSinceStart.test(name) ? NodeStatus.READY : NodeStatus.LOST;
                    case "draining" -> NodeStatus.DRAINING;
                    default -> NodeStatus.LOST;
                  };
              NodeTraits traits = nodeTraits.of(name, rs.getString("facts_json"));
              int cpus = rs.getInt("cpus");
              long memMib = rs.getLong("memory_bytes") / (1024 * 1024);
              int[] used = usedCpuMem.getOrDefault(name, new int[2]);
              // Broken GPUs are never handed out, and do not count towards what the node holds.
              TreeSet<Integer> free = new TreeSet<>(traits.usableGpus());
              int total = free.size();
              free.removeAll(usedGpus.getOrDefault(name, List.of()));
              return new NodeSnapshot(
                  name,
                  status,
                  Math.max(0, cpus - used[0]),
                  Math.max(0, memMib - used[1]),
                  rs.getString("gpu_model"),
                  free,
                  total,
                  cpus,
                  memMib,
                  traits.blocked(),
                  traits.gpuBlocked(),
                  traits.runtimeKind(),
                  traits.volumeStorage());
            })
        .forEach(nodes::add);
    nodeTraits.retain(nodes.stream().map(NodeSnapshot::name).collect(Collectors.toSet()));
    return new ClusterSnapshot(nodes);
  }

  private List<ParallelLimit.JobRuns> queue(Handle h) {
    Map<Long, ParallelLimit.JobRuns> byJob = new LinkedHashMap<>();
    Map<Long, Integer> started = new HashMap<>();
    h.createQuery(
            "SELECT job_id, COUNT(*) AS n FROM runs WHERE state IN ('assigned', 'running') GROUP BY job_id")
        .map((rs, ctx) -> Map.entry(rs.getLong("job_id"), rs.getInt("n")))
        .forEach(e -> started.put(e.getKey(), e.getValue()));
    Map<Long, List<QueuedRun>> pending = new LinkedHashMap<>();
    Map<Long, Integer> parallel = new HashMap<>();
    h.createQuery(
            "SELECT r.job_id, r.run_index, r.created_at, j.cpus, j.memory_gib, j.gpus,"
                + " j.gpu_model, j.parallel, j.image_kind, j.volume_id, j.kind FROM runs r JOIN jobs"
                + " j ON j.id = r.job_id WHERE r.state = 'pending' ORDER BY r.job_id, r.run_index")
        .map(
            (rs, ctx) -> {
              long jobId = rs.getLong("job_id");
              parallel.put(jobId, rs.getInt("parallel"));
              // Queue order is when the run was queued: a job's runs at its submission, an
              // instance's at each start (its hidden job is older than the jobs queued since).
              return new QueuedRun(
                  jobId,
                  rs.getInt("run_index"),
                  rs.getLong("created_at"),
                  rs.getInt("cpus"),
                  rs.getInt("memory_gib") * 1024L,
                  rs.getInt("gpus"),
                  rs.getString("gpu_model"),
                  rs.getString("image_kind"),
                  rs.getObject("volume_id") != null,
                  JobService.INSTANCE_KIND.equals(rs.getString("kind")));
            })
        .forEach(r -> pending.computeIfAbsent(r.jobId(), k -> new ArrayList<>()).add(r));
    pending.forEach(
        (jobId, runs) ->
            byJob.put(
                jobId,
                new ParallelLimit.JobRuns(
                    jobId, parallel.get(jobId), started.getOrDefault(jobId, 0), runs)));
    return new ArrayList<>(byJob.values());
  }

  /** Who holds which GPU now: node → index → "user (job N run I)". */
  public Map<String, Map<Integer, String>> holders() {
    Map<String, Map<Integer, String>> held = new HashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT r.node, r.gpus, r.job_id, r.run_index, u.email, i.name AS instance"
                        + " FROM runs r JOIN jobs j ON j.id = r.job_id JOIN users u ON u.id ="
                        + " j.user_id LEFT JOIN instances i ON i.job_id = j.id AND i.deleted_at IS"
                        + " NULL WHERE r.state IN ('assigned', 'running')")
                .map(
                    (rs, ctx) -> {
                      for (int g : JobStore.gpus(rs.getString("gpus"))) {
                        held.computeIfAbsent(rs.getString("node"), k -> new HashMap<>())
                            .put(
                                g,
                                rs.getString("instance") != null
                                    ? rs.getString("email")
                                        + " (instance "
                                        + rs.getString("instance")
                                        + ")"
                                    : rs.getString("email")
                                        + " (job "
                                        + rs.getLong("job_id")
                                        + " run "
                                        + rs.getInt("run_index")
                                        + ")");
                      }
                      return 0;
                    })
                .list());
    return held;
  }

  @Override
  public void close() {
    running = false;
    kick();
    thread.interrupt();
    closeOwnHandle();
  }
}
