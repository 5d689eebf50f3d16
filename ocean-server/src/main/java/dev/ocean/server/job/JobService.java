package dev.ocean.server.job;

import dev.ocean.common.api.agent.EndReason;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.catalog.ImageService;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.http.ApiException;
import dev.ocean.server.http.Check;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.node.NodeRef;
import dev.ocean.server.quota.QuotaLedger;
import dev.ocean.server.user.Principal;
import dev.ocean.server.volume.VolumeService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Jobs: submission (admitted against quota in the same transaction), cancellation, the reports
 * agents send about runs, and each job's state derived from its runs ({@link RunState}).
 */
public final class JobService {
  static final String KIND = "job";

  /** The reason of a run failed because its node was lost or removed. */
  static final String NODE_LOST = EndReason.NODE_LOST.text();

  /** The reason a run shows while it waits again after its node was lost. */
  static final String REQUEUED = EndReason.REQUEUED.text();

  /** The node is no longer ready or draining: lost, removed, or re-registered since. */
  private static final String NODE_IS_GONE =
      " AND node NOT IN (SELECT name FROM nodes WHERE state IN ('ready', 'draining'))";

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final JobStore store;
  private final MachineTypeService machineTypes;
  private final ImageService images;
  private final VolumeService volumes;
  private final QuotaLedger ledger;
  private final Signals signals;
  private final WaitBoard waits;
  private final JobSettlement settlement;
  private final LogStore logs;
  private Runnable kick = () -> {};

  public JobService(
      Jdbi jdbi,
      Clock clock,
      AuditLog audit,
      JobStore store,
      MachineTypeService machineTypes,
      ImageService images,
      VolumeService volumes,
      QuotaLedger ledger,
      Signals signals,
      WaitBoard waits,
      LogStore logs) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.store = store;
    this.machineTypes = machineTypes;
    this.images = images;
    this.volumes = volumes;
    this.ledger = ledger;
    this.signals = signals;
    this.waits = waits;
    this.logs = logs;
    this.settlement = new JobSettlement(clock, audit, store, ledger, volumes);
  }

  /** What to call when the queue or the cluster changed (the scheduler's wake-up). */
  public void onQueueChange(Runnable kick) {
    this.kick = kick;
  }

  public Job submit(Principal p, Job.Submit s) {
    JobRequest req = JobRequest.check(s);
    List<String> command = req.command();
    Map<String, String> env = req.env();
    int repeat = req.repeat();
    int parallel = req.parallel();
    long now = clock.millis();
    long id =
        jdbi.inTransaction(
            h -> {
              var type = machineTypes.require(h, "machineType", s.machineType());
              var image = images.require(h, "image", s.image());
              Long volumeId = null;
              String volumePath = null;
              if (s.volume() != null && !s.volume().isBlank()) {
                volumeId = volumes.requireOwn(h, "volume", p.userId(), s.volume());
                volumePath = VolumeService.relativePath(p.userId(), s.volume());
              }
              long jobId =
                  h.createUpdate(
                          "INSERT INTO jobs (user_id, name, machine_type, cpus, memory_gib, gpus,"
                              + " gpu_model, image_name, image_ref, volume_id, volume_name,"
                              + " volume_path, command_json, env_json, reason, repeat_count,"
                              + " parallel, state, created_at, retries, image_kind) VALUES (?, ?, ?,"
                              + " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)")
                      .bind(0, p.userId())
                      .bind(1, s.name())
                      .bind(2, type.name())
                      .bind(3, type.cpus())
                      .bind(4, type.memoryGib())
                      .bind(5, type.gpus())
                      .bind(6, type.gpuModel())
                      .bind(7, image.name())
                      .bind(8, image.reference())
                      .bind(9, volumeId)
                      .bind(10, volumeId == null ? null : s.volume())
                      .bind(11, volumePath)
                      .bind(12, store.json(command))
                      .bind(13, store.json(env))
                      .bind(14, s.reason())
                      .bind(15, repeat)
                      .bind(16, parallel)
                      .bind(17, now)
                      .bind(18, req.retries())
                      .bind(19, image.kind())
                      .executeAndReturnGeneratedKeys("id")
                      .mapTo(Long.class)
                      .one();
              ledger.admit(
                  h, p.userId(), type.name(), Math.min(parallel, repeat), KIND, ref(jobId));
              for (int i = 0; i < repeat; i++) {
                h.createUpdate(
                        "INSERT INTO runs (job_id, run_index, state, created_at) VALUES (?, ?,"
                            + " 'pending', ?)")
                    .bind(0, jobId)
                    .bind(1, i)
                    .bind(2, now)
                    .execute();
              }
              if (volumeId != null) {
                volumes.claim(h, volumeId, KIND, ref(jobId));
              }
              audit.record(
                  h,
                  p.email(),
                  "job.submit",
                  "job/" + jobId,
                  repeat + " run(s) of " + type.name() + " with " + image.name());
              return jobId;
            });
    kick.run();
    return get(p, id);
  }

  public Job get(Principal p, long id) {
    return jdbi.withHandle(
        h -> {
          visible(h, p, id);
          return store.job(h, id, waits::get);
        });
  }

  /**
   * The caller's jobs (active ones unless {@code allStates}), newest first; every user's for an
   * admin asking with {@code everyone}.
   */
  public List<Job> list(Principal p, boolean allStates, String state, boolean everyone) {
    if (everyone && !p.admin()) {
      throw ApiException.forbidden("only admins can list everyone's jobs");
    }
    if (state != null
        && !List.of("pending", "running", "succeeded", "failed", "cancelled").contains(state)) {
      throw ApiException.badRequest(
          "state", "state must be pending, running, succeeded, failed or cancelled");
    }
    return jdbi.withHandle(
        h -> {
          String sql = "SELECT id FROM jobs WHERE " + (everyone ? "1 = 1" : "user_id = :u");
          if (state != null) {
            sql += " AND state = :s";
          } else if (!allStates) {
            sql += " AND state IN ('pending', 'running')";
          }
          var query = h.createQuery(sql + " ORDER BY id DESC");
          if (!everyone) {
            query.bind("u", p.userId());
          }
          if (state != null) {
            query.bind("s", state);
          }
          List<Long> ids = query.mapTo(Long.class).list();
          List<Job> jobs = new ArrayList<>();
          for (long id : ids) {
            jobs.add(store.job(h, id, waits::get));
          }
          return jobs;
        });
  }

  public Job cancel(Principal p, long id) {
    List<String> nodes =
        jdbi.inTransaction(
            h -> {
              visible(h, p, id);
              JobStore.JobRow job = store.row(h, id);
              if (!job.state().equals("pending") && !job.state().equals("running")) {
                throw ApiException.conflict("job " + id + " has already " + job.state());
              }
              long now = clock.millis();
              // A run its agent has not started (assigned) ends now as well: the agent may be
              // unable to answer, and if it starts the run after all, its report is refused and
              // the poll tells it to stop.
              h.createUpdate(
                      "UPDATE runs SET state = 'cancelled', finished_at = ?, reason = 'cancelled"
                          + " by user' WHERE job_id = ? AND state IN ('pending', 'assigned')")
                  .bind(0, now)
                  .bind(1, id)
                  .execute();
              h.createUpdate(
                      "UPDATE runs SET cancel_requested_at = ? WHERE job_id = ? AND state ="
                          + " 'running' AND cancel_requested_at IS NULL")
                  .bind(0, now)
                  .bind(1, id)
                  .execute();
              audit.record(h, p.email(), "job.cancel", "job/" + id, null);
              settlement.settle(h, id);
              return h.createQuery(
                      "SELECT DISTINCT node FROM runs WHERE job_id = ? AND node IS NOT NULL")
                  .bind(0, id)
                  .mapTo(String.class)
                  .list();
            });
    nodes.forEach(n -> signals.signal(AgentWork.key(n)));
    kick.run();
    return get(p, id);
  }

  /** Applies an agent's report about one of its runs. */
  public void report(NodeRef node, long jobId, int run, RunReport r) {
    RunState next;
    try {
      next = RunState.fromWireName(Check.required("state", r.state()));
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("state", "unknown run state '" + r.state() + "'");
    }
    if (next == RunState.PENDING || next == RunState.ASSIGNED) {
      throw ApiException.badRequest("state", "agents report running or an end state");
    }
    boolean ended =
        jdbi.inTransaction(
            h -> {
              var row =
                  h.createQuery("SELECT state, node FROM runs WHERE job_id = ? AND run_index = ?")
                      .bind(0, jobId)
                      .bind(1, run)
                      .mapToMap()
                      .findOne()
                      .orElseThrow(() -> ApiException.notFound("no run " + jobId + "-" + run));
              if (!node.name().equals(row.get("node"))) {
                throw ApiException.notFound("run " + jobId + "-" + run + " is not on this node");
              }
              RunState current = RunState.fromWireName((String) row.get("state"));
              if (current == next) {
                return false;
              }
              if (!current.canTransitionTo(next)) {
                throw ApiException.conflict(
                    "run "
                        + jobId
                        + "-"
                        + run
                        + " is "
                        + current.wireName()
                        + ", not "
                        + next.wireName());
              }
              long now = clock.millis();
              if (next == RunState.RUNNING) {
                h.createUpdate(
                        "UPDATE runs SET state = 'running', started_at = ?, volume_dir = ? WHERE"
                            + " job_id = ? AND run_index = ?")
                    .bind(0, now)
                    .bind(1, Check.maxLength("volumeDir", r.volumeDir(), 4096))
                    .bind(2, jobId)
                    .bind(3, run)
                    .execute();
              } else {
                h.createUpdate(
                        "UPDATE runs SET state = ?, finished_at = ?, exit_code = ?, reason ="
                            + " COALESCE(?, reason), started_at = COALESCE(started_at, ?) WHERE"
                            + " job_id = ? AND run_index = ?")
                    .bind(0, next.wireName())
                    .bind(1, now)
                    .bind(2, r.exitCode())
                    .bind(3, r.reason())
                    .bind(4, now)
                    .bind(5, jobId)
                    .bind(6, run)
                    .execute();
              }
              settlement.settle(h, jobId);
              return next.isTerminal();
            });
    signals.signal(logKey(jobId, run));
    signals.signal(jobKey(jobId));
    if (ended) {
      signals.forget(logKey(jobId, run));
      kick.run();
    }
  }

  /** Fails every run the lost node held, with reason {@code node lost}. */
  public void nodeLost(String node) {
    nodeLost(node, NODE_LOST);
  }

  /**
   * Fails (or requeues under retries) every run the node held, with {@code reason}, e.g. {@code
   * node removed}.
   */
  public void nodeLost(String node, String reason) {
    // Checked again here: the node may have heartbeated back (and taken new runs) in between.
    List<long[]> requeued = new ArrayList<>();
    List<Long> jobs =
        jdbi.inTransaction(
            h -> {
              List<Long> ids =
                  h.createQuery(
                          "SELECT DISTINCT job_id FROM runs WHERE node = ? AND state IN"
                              + " ('assigned', 'running')"
                              + NODE_IS_GONE)
                      .bind(0, node)
                      .mapTo(Long.class)
                      .list();
              String retriable =
                  " WHERE node = ? AND state IN ('assigned', 'running') AND cancel_requested_at IS"
                      + " NULL AND attempt <= (SELECT retries FROM jobs WHERE jobs.id ="
                      + " runs.job_id)"
                      + NODE_IS_GONE;
              h.createQuery("SELECT job_id, run_index, attempt FROM runs" + retriable)
                  .bind(0, node)
                  .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getInt(2), rs.getInt(3) + 1})
                  .forEach(requeued::add);
              h.createUpdate(
                      "UPDATE runs SET state = 'pending', node = NULL, gpus = NULL, assigned_at ="
                          + " NULL, started_at = NULL, attempt = attempt + 1, reason = ?"
                          + retriable)
                  .bind(0, REQUEUED)
                  .bind(1, node)
                  .execute();
              h.createUpdate(
                      "UPDATE runs SET state = 'failed', reason = ?, finished_at = ? WHERE node"
                          + " = ? AND state IN ('assigned', 'running')"
                          + NODE_IS_GONE)
                  .bind(0, reason)
                  .bind(1, clock.millis())
                  .bind(2, node)
                  .execute();
              for (long id : ids) {
                settlement.settle(h, id);
                audit.record(h, "system", "job.run-failed", "job/" + id, reason + ": " + node);
              }
              for (long[] r : requeued) {
                audit.record(
                    h,
                    "system",
                    "job.run-requeued",
                    "job/" + r[0],
                    "run " + r[1] + " attempt " + r[2]);
              }
              return ids;
            });
    for (long[] r : requeued) {
      // Agents ship a run's log from the server's size, so the next attempt starts a fresh log;
      // the earlier attempt's stays beside it on disk.
      logs.rotate(r[0], (int) r[1], (int) r[2] - 1);
    }
    jobs.forEach(id -> signals.signal(jobKey(id)));
    kick.run();
  }

  /**
   * Fails the runs still held by nodes that are no longer live (lost, removed or gone): {@link
   * #nodeLost} never ran for them when the server stopped between marking the node and failing its
   * runs, and they would hold their quota and GPUs for ever.
   */
  public void failRunsOfDeadNodes() {
    List<String> dead =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT DISTINCT node FROM runs WHERE state IN ('assigned', 'running') AND"
                            + " node NOT IN (SELECT name FROM nodes WHERE state IN ('ready',"
                            + " 'draining'))")
                    .mapTo(String.class)
                    .list());
    dead.forEach(this::nodeLost);
  }

  /** Quota shrank: cancels pending runs that no longer fit, then lets the scheduler look again. */
  public String reclaim(Handle h, long userId, String machineType, int allowed, String reason) {
    String what = settlement.reclaim(h, userId, machineType, allowed, reason);
    if (what != null) {
      kick.run();
    }
    return what;
  }

  /** The reason of a run its agent reports it does not have (its state was lost). */
  static final String AGENT_LACKS_RUN = EndReason.AGENT_LACKS_RUN.text();

  /**
   * Reconciliation when an agent says its {@code known} list is complete (it re-adopted all it
   * could): a run the server thinks is running there but the agent does not have ends failed,
   * without an exit code, instead of running for ever.
   */
  public void failRunsTheAgentLacks(NodeRef node, Set<String> known) {
    List<long[]> orphans =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT job_id, run_index FROM runs WHERE node = ? AND state = 'running'")
                    .bind(0, node.name())
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getInt(2)})
                    .list());
    for (long[] r : orphans) {
      if (known.contains(new RunId(r[0], (int) r[1]).toString())) {
        continue;
      }
      if (requeueIfRetries(r[0], (int) r[1], node.name())) {
        continue;
      }
      try {
        report(node, r[0], (int) r[1], new RunReport("failed", null, AGENT_LACKS_RUN, null));
      } catch (ApiException raced) {
        // it ended in between: nothing to reconcile
      }
    }
  }

  /** Puts a run its agent lost back in the queue when its job asked for retries; true if so. */
  private boolean requeueIfRetries(long jobId, int run, String node) {
    int attempt =
        jdbi.inTransaction(
            h -> {
              int n =
                  h.createUpdate(
                          "UPDATE runs SET state = 'pending', node = NULL, gpus = NULL,"
                              + " assigned_at = NULL, started_at = NULL, attempt = attempt + 1,"
                              + " reason = ? WHERE job_id = ? AND run_index = ? AND node = ? AND"
                              + " state = 'running' AND attempt <= (SELECT retries FROM jobs"
                              + " WHERE jobs.id = runs.job_id)")
                      .bind(0, "requeued: " + AGENT_LACKS_RUN)
                      .bind(1, jobId)
                      .bind(2, run)
                      .bind(3, node)
                      .execute();
              if (n == 0) {
                return 0;
              }
              settlement.settle(h, jobId);
              int next =
                  h.createQuery("SELECT attempt FROM runs WHERE job_id = ? AND run_index = ?")
                      .bind(0, jobId)
                      .bind(1, run)
                      .mapTo(Integer.class)
                      .one();
              audit.record(
                  h,
                  "system",
                  "job.run-requeued",
                  "job/" + jobId,
                  "run " + run + " attempt " + next);
              return next;
            });
    if (attempt == 0) {
      return false;
    }
    logs.rotate(jobId, run, attempt - 1);
    signals.signal(jobKey(jobId));
    kick.run();
    return true;
  }

  /** Refuses log traffic for runs that were never given to this node. */
  public void requireOnNode(NodeRef node, long jobId, int run) {
    String on =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT node FROM runs WHERE job_id = ? AND run_index = ?")
                    .bind(0, jobId)
                    .bind(1, run)
                    .mapTo(String.class)
                    .findOne()
                    .orElse(null));
    if (!node.name().equals(on)) {
      throw ApiException.notFound("run " + jobId + "-" + run + " is not on this node");
    }
  }

  /** Only the owner and admins see a job; to anyone else it does not exist. */
  void visible(Handle h, Principal p, long id) {
    JobStore.JobRow job = store.row(h, id);
    if (job.userId() != p.userId() && !p.admin()) {
      throw ApiException.notFound("no job " + id);
    }
  }

  static String ref(long jobId) {
    return "job/" + jobId;
  }

  public static String jobKey(long jobId) {
    return "job:" + jobId;
  }

  public static String logKey(long jobId, int run) {
    return dev.ocean.server.logs.LogStore.key(jobId, run);
  }
}
