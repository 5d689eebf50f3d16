package dev.ocean.common.api.job;

import java.util.List;

/**
 * Many job submissions in one request, {@code POST /api/v1/jobs/batch}: admitted all or none, in
 * one transaction, against the user's quota as a whole. A refused job is named by its index, e.g.
 * field {@code jobs[3].machineType}.
 */
public record JobBatch(List<Job.Submit> jobs) {
  /** The most jobs one batch may hold. */
  public static final int MAX_JOBS = 10_000;

  /** The most bytes of JSON one batch may hold: 10,000 jobs of 1.6 KiB each. */
  public static final int MAX_BYTES = 16 * 1024 * 1024;

  /** The answer to a batch: the new jobs' ids, in the order the jobs were given. */
  public record Submitted(List<Long> ids) {}
}
