package dev.ocean.server.job;

import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.quota.QuotaLedger;
import dev.ocean.server.volume.VolumeService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;

/**
 * Keeps a job's derived state, quota hold and volume claim in step with its runs, inside the
 * caller's transaction; and gives quota back by cancelling pending runs when a quota shrinks.
 */
final class JobSettlement {
  private final Clock clock;
  private final AuditLog audit;
  private final JobStore store;
  private final QuotaLedger ledger;
  private final VolumeService volumes;
  private final RunLifecycle runs;
  private volatile InstanceRuns instances = InstanceRuns.NONE;

  JobSettlement(
      Clock clock,
      AuditLog audit,
      JobStore store,
      QuotaLedger ledger,
      VolumeService volumes,
      RunLifecycle runs) {
    this.runs = runs;
    this.clock = clock;
    this.audit = audit;
    this.store = store;
    this.ledger = ledger;
    this.volumes = volumes;
  }

  void instances(InstanceRuns instances) {
    this.instances = instances;
  }

  /**
   * The one rule for a job's state, from how many of its runs are in each state: {@code pending}
   * while every run waits, {@code running} while any run is active and one has started or ended,
   * then {@code failed} if any run failed, else {@code cancelled} if any was cancelled, else {@code
   * succeeded}.
   */
  static String derive(Map<RunState, Integer> counts) {
    int pending = counts.getOrDefault(RunState.PENDING, 0);
    int started =
        counts.getOrDefault(RunState.ASSIGNED, 0) + counts.getOrDefault(RunState.RUNNING, 0);
    int ended =
        counts.getOrDefault(RunState.SUCCEEDED, 0)
            + counts.getOrDefault(RunState.FAILED, 0)
            + counts.getOrDefault(RunState.CANCELLED, 0);
    if (pending + started > 0) {
      return started + ended > 0 ? "running" : "pending";
    }
    if (counts.getOrDefault(RunState.FAILED, 0) > 0) {
      return "failed";
    }
    return counts.getOrDefault(RunState.CANCELLED, 0) > 0 ? "cancelled" : "succeeded";
  }

  /**
   * Re-derives a job's state from its runs ({@link #derive}), shrinks its quota hold to
   * min(parallel, runs left) and releases it (and the volume) once every run has ended.
   */
  void settle(Handle h, long jobId) {
    JobStore.JobRow job = store.row(h, jobId);
    Map<RunState, Integer> counts = new EnumMap<>(RunState.class);
    h.createQuery("SELECT state, COUNT(*) AS n FROM runs WHERE job_id = ? GROUP BY state")
        .bind(0, jobId)
        .map((rs, ctx) -> Map.entry(RunState.fromWireName(rs.getString("state")), rs.getInt("n")))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    int active = 0;
    for (RunState s : RunState.values()) {
      active += s.isActive() ? counts.getOrDefault(s, 0) : 0;
    }
    String state = derive(counts);
    Integer exit = null;
    if (active > 0) {
      ledger.shrink(h, JobService.KIND, JobService.ref(jobId), Math.min(job.parallel(), active));
    } else {
      if (state.equals("failed")) {
        exit =
            h.createQuery(
                    "SELECT exit_code FROM runs WHERE job_id = ? AND state = 'failed' AND"
                        + " exit_code IS NOT NULL AND exit_code <> 0 ORDER BY run_index")
                .bind(0, jobId)
                .mapTo(Integer.class)
                .findFirst()
                .orElse(null); // a run that failed without an exit code has none, never 1
      } else if (state.equals("succeeded")) {
        exit = 0;
      }
      ledger.release(h, JobService.KIND, JobService.ref(jobId));
      volumes.unclaim(h, JobService.KIND, JobService.ref(jobId));
    }
    if (!state.equals(job.state())) {
      h.createUpdate("UPDATE jobs SET state = ?, exit_code = ?, finished_at = ? WHERE id = ?")
          .bind(0, state)
          .bind(1, exit)
          .bind(2, active > 0 ? null : clock.millis())
          .bind(3, jobId)
          .execute();
      if (active == 0 && job.kind().equals(JobService.KIND)) {
        audit.record(
            h, "system", "job." + state, "job/" + jobId, exit == null ? null : "exit " + exit);
      }
    }
    if (job.kind().equals(JobService.INSTANCE_KIND)) {
      instances.settled(h, jobId);
    }
  }

  /**
   * Quota shrank (expiry, revocation): cancels pending runs of the user's newest jobs of that
   * machine type until usage fits; running runs finish.
   */
  String reclaim(Handle h, long userId, String machineType, int allowed, String reason) {
    List<Long> ids = store.activeJobsNewestFirst(h, userId, machineType);
    List<String> cancelled = new ArrayList<>();
    for (long id : ids) {
      int n = 0;
      // One pending run at a time, last index first: cancel no more than the quota needs.
      while (ledger.inUse(h, userId, machineType) > allowed) {
        Integer last =
            h.createQuery("SELECT MAX(run_index) FROM runs WHERE job_id = ? AND state = 'pending'")
                .bind(0, id)
                .mapTo(Integer.class)
                .one();
        if (last == null) {
          break;
        }
        if (!runs.tryEnd(h, id, last, RunState.CANCELLED, null, reason, clock.millis())) {
          break;
        }
        settle(h, id);
        n++;
      }
      if (n > 0) {
        cancelled.add(n + " pending run(s) of job " + id);
      }
      if (ledger.inUse(h, userId, machineType) <= allowed) {
        break;
      }
    }
    if (cancelled.isEmpty()) {
      return null;
    }
    return reason + ": cancelled " + String.join(", ", cancelled);
  }
}
