package dev.ocean.server.autostop;

import dev.ocean.server.error.Conflict;
import dev.ocean.server.job.JobService;
import dev.ocean.server.user.Principal;
import org.jdbi.v3.core.Jdbi;

/**
 * Stops an instance the way {@code stop} does underneath: by cancelling the run of its hidden job
 * through the job code, so the agent stops the container and the volume stays. The instance
 * service's own stop (which also records the reason on the instance) replaces it when wired.
 */
public final class RunCancellingStopper implements InstanceStopper {
  private static final Principal SYSTEM = new Principal(0, "system", true, 0);

  private final Jdbi jdbi;
  private final JobService jobs;

  public RunCancellingStopper(Jdbi jdbi, JobService jobs) {
    this.jdbi = jdbi;
    this.jobs = jobs;
  }

  @Override
  public void stop(long instanceId, String reason) {
    Long jobId =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT job_id FROM instances WHERE id = ?")
                    .bind(0, instanceId)
                    .mapTo(Long.class)
                    .findOne()
                    .orElse(null));
    if (jobId == null) {
      return;
    }
    try {
      jobs.cancel(SYSTEM, jobId);
    } catch (Conflict alreadyEnded) {
      // stopped meanwhile: nothing to do
    }
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE instances SET state_reason = ? WHERE id = ? AND deleted_at IS NULL")
                .bind(0, reason)
                .bind(1, instanceId)
                .execute());
  }
}
