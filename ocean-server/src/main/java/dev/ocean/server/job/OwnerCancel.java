package dev.ocean.server.job;

import dev.ocean.server.audit.AuditLog;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Jdbi;

/**
 * Cancels every active job of one user at once, for an admin who disabled the account: pending and
 * assigned runs end cancelled now, running ones are asked to stop through their agents' polls. Each
 * run moves through {@link RunLifecycle} (the way {@link InstanceJobs#stop} stops a run) and each
 * job is settled and audited.
 */
final class OwnerCancel {
  /** What was cancelled, and the nodes whose polls must hear of it. */
  record Cancelled(int jobs, int runs, List<String> nodes) {}

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final JobStore store;
  private final RunLifecycle runs;
  private final InstanceJobs stopper;

  OwnerCancel(
      Jdbi jdbi,
      Clock clock,
      AuditLog audit,
      JobStore store,
      RunLifecycle runs,
      InstanceJobs stopper) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.store = store;
    this.runs = runs;
    this.stopper = stopper;
  }

  Cancelled cancelAllOf(long userId, String reason, String actor) {
    return jdbi.inTransaction(
        h -> {
          long now = clock.millis();
          List<Long> ids = store.activeJobsOf(h, userId);
          List<String> nodes = new ArrayList<>();
          int active = 0;
          for (long id : ids) {
            active +=
                runs.runsOf(h, id, RunState.PENDING, RunState.ASSIGNED, RunState.RUNNING).size();
            // Stopping a run is the same move for a job's runs as for an instance's.
            nodes.addAll(stopper.stop(h, id, reason, now));
            audit.record(h, actor, "job.cancel", "job/" + id, reason);
          }
          return new Cancelled(ids.size(), active, nodes);
        });
  }
}
