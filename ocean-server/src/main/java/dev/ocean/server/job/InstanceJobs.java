package dev.ocean.server.job;

import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.scheduler.Wait;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * What instances do with their hidden job (kind {@code instance}): create it with its first run,
 * append a run per start, stop the current run, read it. Runs change only through {@link
 * RunLifecycle} and every change is settled, so the instance follows ({@link InstanceRuns}). Runs
 * inside the caller's transaction; {@link #wake} tells agents and the scheduler after it commits.
 */
public final class InstanceJobs {
  private final JobStore store;
  private final RunLifecycle runs;
  private final JobSettlement settlement;
  private final Signals signals;
  private final WaitBoard waits;
  private final Supplier<Runnable> kick;

  InstanceJobs(
      JobStore store,
      RunLifecycle runs,
      JobSettlement settlement,
      Signals signals,
      WaitBoard waits,
      Supplier<Runnable> kick) {
    this.store = store;
    this.runs = runs;
    this.settlement = settlement;
    this.signals = signals;
    this.waits = waits;
    this.kick = kick;
  }

  /**
   * The current run of an instance's job (its latest start).
   *
   * @param cancelRequested the run was asked to stop and its agent has not confirmed yet
   */
  public record CurrentRun(
      int index,
      String state,
      String node,
      List<Integer> gpus,
      String reason,
      boolean cancelRequested,
      Long startedAt,
      Long finishedAt) {}

  /** Inserts the hidden job with its first pending run; returns the job's id. */
  public long create(
      Handle h,
      long userId,
      String name,
      String reason,
      MachineType type,
      Image image,
      Long volumeId,
      String volume,
      String volumePath,
      long now) {
    var admitted = new JobStore.Admitted(type, image, volumeId, volumePath);
    long jobId = store.insertInstanceJob(h, userId, name, reason, admitted, volume, now);
    settlement.settle(h, jobId);
    return jobId;
  }

  /** Queues the next start: a pending run with the next index; returns its index. */
  public int start(Handle h, long jobId, long now) {
    int run = store.appendRun(h, jobId, now);
    settlement.settle(h, jobId);
    return run;
  }

  /**
   * Stops the job's active run: a pending or assigned one ends cancelled now, a running one is
   * asked to stop (it ends when its agent reports). Returns the nodes to tell.
   */
  public List<String> stop(Handle h, long jobId, String reason, long now) {
    List<String> nodes = new ArrayList<>();
    // On PostgreSQL the scheduler may assign the pending run while this runs: the guarded end
    // then changes nothing, and a second look finds the run assigned and ends it.
    for (int look = 0; look < 3; look++) {
      boolean raced = false;
      for (var r : runs.runsOf(h, jobId, RunState.PENDING, RunState.ASSIGNED)) {
        if (!runs.tryEnd(h, jobId, r.run(), RunState.CANCELLED, null, reason, now)) {
          raced = true;
        } else if (runs.nodeOf(h, jobId, r.run()) != null) {
          nodes.add(runs.nodeOf(h, jobId, r.run()));
        }
      }
      if (!raced) {
        break;
      }
    }
    nodes.addAll(runs.requestCancel(h, jobId, now));
    h.createUpdate(
            "UPDATE runs SET reason = COALESCE(reason, ?) WHERE job_id = ? AND state = 'running'")
        .bind(0, reason)
        .bind(1, jobId)
        .execute();
    settlement.settle(h, jobId);
    return nodes;
  }

  /** After the caller's transaction committed: wakes the nodes' polls and the scheduler. */
  public void wake(long jobId, List<String> nodes) {
    nodes.stream().distinct().forEach(n -> signals.signal(AgentWork.key(n)));
    signals.signal(JobService.jobKey(jobId));
    kick.get().run();
  }

  /** The job's latest run, if it has one. */
  public Optional<CurrentRun> current(Handle h, long jobId) {
    return h.createQuery(
            "SELECT * FROM runs WHERE job_id = ? AND run_index = (SELECT MAX(run_index) FROM runs"
                + " WHERE job_id = ?)")
        .bind(0, jobId)
        .bind(1, jobId)
        .map(
            (rs, ctx) ->
                new CurrentRun(
                    rs.getInt("run_index"),
                    rs.getString("state"),
                    rs.getString("node"),
                    JobStore.gpus(rs.getString("gpus")),
                    rs.getString("reason"),
                    rs.getObject("cancel_requested_at") != null,
                    nullableLong(rs, "started_at"),
                    nullableLong(rs, "finished_at")))
        .findOne();
  }

  /** Why a pending run waits and its place, as of the scheduler's last pass; null when unknown. */
  public Wait waitOf(long jobId, int run) {
    return waits.get(jobId, run);
  }

  /** An agent's endpoints report, refused (400) when a field is out of bounds. */
  static InstanceEndpoints checked(InstanceEndpoints e) {
    Check.required("endpoints.address", e.address());
    Check.maxLength("endpoints.address", e.address(), 255);
    Check.maxLength("endpoints.hostKey", e.hostKey(), 16 * 1024);
    for (int port : List.of(e.sshPort(), e.editorPort())) {
      if (port < 0 || port > 65535) {
        throw new Invalid("endpoints", "ports must lie in 0..65535, not " + port);
      }
    }
    if (e.hostKey() != null && e.hostKey().contains("\n")) {
      throw new Invalid("endpoints.hostKey", "the host key must be one line");
    }
    return e;
  }

  private static Long nullableLong(java.sql.ResultSet rs, String col) throws java.sql.SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : v;
  }
}
