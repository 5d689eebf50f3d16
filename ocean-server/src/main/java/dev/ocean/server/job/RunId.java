package dev.ocean.server.job;

import dev.ocean.server.error.Invalid;
import java.util.Optional;
import java.util.regex.Pattern;

/** A run's name in the agent protocol: {@code JOBID-INDEX}. */
record RunId(long jobId, int run) {
  /** Plain decimal digits only: no sign, and short enough that parsing cannot overflow. */
  private static final Pattern SHAPE = Pattern.compile("([0-9]{1,18})-([0-9]{1,10})");

  /** The run an agent names in a path; a malformed name is a 400. */
  static RunId parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                new Invalid(
                    "runId",
                    "run id must look like JOB-INDEX with a run index up to "
                        + Integer.MAX_VALUE
                        + ", not '"
                        + text
                        + "'"));
  }

  /** The run an agent names in a list, or empty for a name that is not one. */
  static Optional<RunId> tryParse(String text) {
    var m = text == null ? null : SHAPE.matcher(text);
    if (m == null || !m.matches()) {
      return Optional.empty();
    }
    long run = Long.parseLong(m.group(2));
    if (run > Integer.MAX_VALUE) {
      return Optional.empty();
    }
    return Optional.of(new RunId(Long.parseLong(m.group(1)), (int) run));
  }

  /** A run index from a user's path ({@code /jobs/ID/runs/INDEX/...}); out of range is a 400. */
  static int index(String text) {
    if (text == null || !text.matches("[0-9]{1,10}") || Long.parseLong(text) > Integer.MAX_VALUE) {
      throw new Invalid("run", "run must be a run index from 0, not '" + text + "'");
    }
    return Integer.parseInt(text);
  }

  @Override
  public String toString() {
    return jobId + "-" + run;
  }
}
