package dev.ocean.server.job;

import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.quota.QuotaLedger;
import dev.ocean.server.volume.VolumeService;
import java.time.Clock;
import java.util.ArrayList;
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

  JobSettlement(
      Clock clock, AuditLog audit, JobStore store, QuotaLedger ledger, VolumeService volumes) {
    this.clock = clock;
    this.audit = audit;
    this.store = store;
    this.ledger = ledger;
    this.volumes = volumes;
  }

  /**
   * Re-derives a job's state from its runs, shrinks its quota hold to min(parallel, runs left) and
   * releases it (and the volume) once every run has ended.
   */
  void settle(Handle h, long jobId) {
    JobStore.JobRow job = store.row(h, jobId);
    Map<String, Integer> counts = new java.util.HashMap<>();
    h.createQuery("SELECT state, COUNT(*) AS n FROM runs WHERE job_id = ? GROUP BY state")
        .bind(0, jobId)
        .map((rs, ctx) -> Map.entry(rs.getString("state"), rs.getInt("n")))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    int active =
        counts.getOrDefault("pending", 0)
            + counts.getOrDefault("assigned", 0)
            + counts.getOrDefault("running", 0);
    int started = counts.getOrDefault("assigned", 0) + counts.getOrDefault("running", 0);
    String state;
    Integer exit = null;
    if (active > 0) {
      state = started > 0 ? "running" : job.state().equals("running") ? "running" : "pending";
      ledger.shrink(h, JobService.KIND, JobService.ref(jobId), Math.min(job.parallel(), active));
    } else {
      if (counts.getOrDefault("failed", 0) > 0) {
        state = "failed";
        exit =
            h.createQuery(
                    "SELECT exit_code FROM runs WHERE job_id = ? AND state = 'failed' AND"
                        + " exit_code IS NOT NULL AND exit_code <> 0 ORDER BY run_index")
                .bind(0, jobId)
                .mapTo(Integer.class)
                .findFirst()
                .orElse(null); // a run that failed without an exit code has none, never 1
      } else if (counts.getOrDefault("cancelled", 0) > 0) {
        state = "cancelled";
      } else {
        state = "succeeded";
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
      if (active == 0) {
        audit.record(
            h, "system", "job." + state, "job/" + jobId, exit == null ? null : "exit " + exit);
      }
    }
  }

  /**
   * Quota shrank (expiry, revocation): cancels pending runs of the user's newest jobs of that
   * machine type until usage fits; running runs finish.
   */
  String reclaim(Handle h, long userId, String machineType, int allowed, String reason) {
    List<Long> ids =
        h.createQuery(
                "SELECT id FROM jobs WHERE user_id = ? AND machine_type = ? AND state IN"
                    + " ('pending', 'running') ORDER BY id DESC")
            .bind(0, userId)
            .bind(1, machineType)
            .mapTo(Long.class)
            .list();
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
        h.createUpdate(
                "UPDATE runs SET state = 'cancelled', reason = ?, finished_at = ? WHERE job_id ="
                    + " ? AND run_index = ?")
            .bind(0, reason)
            .bind(1, clock.millis())
            .bind(2, id)
            .bind(3, last)
            .execute();
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
