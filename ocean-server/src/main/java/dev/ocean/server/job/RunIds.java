package dev.ocean.server.job;

import dev.ocean.common.api.agent.RunId;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Invalid;
import org.jdbi.v3.core.Handle;

/**
 * Run names in agent calls: read from request paths (a malformed one is a 400) and held to the
 * run's current attempt (an earlier one is a 409).
 */
final class RunIds {
  private RunIds() {}

  /** The run an agent names in a path ({@link RunId}); a malformed name is a 400. */
  static RunId parse(String text) {
    return RunId.tryParse(text)
        .orElseThrow(
            () ->
                new Invalid(
                    "runId",
                    "run id must look like JOB-INDEX or JOB-INDEX.ATTEMPT with a run index up to "
                        + Integer.MAX_VALUE
                        + ", not '"
                        + text
                        + "'"));
  }

  /** A run index from a user's path ({@code /jobs/ID/runs/INDEX/...}); out of range is a 400. */
  static int index(String text) {
    if (text == null || !text.matches("[0-9]{1,10}") || Long.parseLong(text) > Integer.MAX_VALUE) {
      throw new Invalid("run", "run must be a run index from 0, not '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  /** A name with an attempt must name the current one; a requeued run's old attempt is over. */
  static void requireCurrentAttempt(Handle h, RunId id) {
    if (id.attempt() == 0) {
      return;
    }
    h.createQuery("SELECT attempt FROM runs WHERE job_id = ? AND run_index = ?")
        .bind(0, id.jobId())
        .bind(1, id.run())
        .mapTo(Integer.class)
        .findOne()
        .ifPresent(current -> requireCurrentAttempt(id, current));
  }

  /** Like {@link #requireCurrentAttempt(Handle, RunId)} with the run's attempt already read. */
  static void requireCurrentAttempt(RunId id, int current) {
    if (!id.names(current)) {
      throw new Conflict(
          "runId",
          "run "
              + id.withoutAttempt()
              + " is on attempt "
              + current
              + "; attempt "
              + id.attempt()
              + " was requeued and is over");
    }
  }
}
