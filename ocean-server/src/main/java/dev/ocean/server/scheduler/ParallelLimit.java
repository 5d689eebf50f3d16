package dev.ocean.server.scheduler;

import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Applies a job's {@code parallel} limit before scheduling: of a job's pending runs, only as many
 * as it has free parallel slots may reach the {@link Scheduler}, lowest queue position first.
 */
public final class ParallelLimit {

  private ParallelLimit() {}

  /**
   * One job's state as far as the limit is concerned.
   *
   * @param parallel at most this many runs of the job at once, at least 1
   * @param started runs of the job now assigned or running
   * @param pending the job's pending runs, in any order
   */
  public record JobRuns(long jobId, int parallel, int started, List<QueuedRun> pending) {

    public JobRuns {
      if (parallel < 1 || started < 0) {
        throw new IllegalArgumentException(
            "job " + jobId + ": parallel must be at least 1 and started not negative");
      }
      pending = List.copyOf(pending);
      for (QueuedRun run : pending) {
        if (run.jobId() != jobId) {
          throw new IllegalArgumentException(run.label() + " listed under job " + jobId);
        }
      }
    }

    /** How many more runs of this job may start now. */
    public int freeSlots() {
      return Math.max(0, parallel - started);
    }
  }

  /** The runs allowed to start now, over all given jobs, in queue order. */
  public static List<QueuedRun> eligible(List<JobRuns> jobs) {
    List<QueuedRun> eligible = new ArrayList<>();
    for (JobRuns job : Objects.requireNonNull(jobs, "jobs")) {
      job.pending().stream()
          .sorted(QueuedRun.QUEUE_ORDER)
          .limit(job.freeSlots())
          .forEach(eligible::add);
    }
    eligible.sort(QueuedRun.QUEUE_ORDER);
    return eligible;
  }
}
