package dev.ocean.server.job;

import dev.ocean.server.http.ApiException;
import java.util.Optional;

/** A run's name in the agent protocol: {@code JOBID-INDEX}. */
record RunId(long jobId, int run) {

  /** The run an agent names in a path; a malformed name is a 400. */
  static RunId parse(String text) {
    return tryParse(text)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    "runId", "run id must look like JOB-INDEX, not '" + text + "'"));
  }

  /** The run an agent names in a list, or empty for a name that is not one. */
  static Optional<RunId> tryParse(String text) {
    int dash = text == null ? -1 : text.lastIndexOf('-');
    if (dash <= 0) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          new RunId(
              Long.parseLong(text.substring(0, dash)), Integer.parseInt(text.substring(dash + 1))));
    } catch (NumberFormatException e) {
      return Optional.empty();
    }
  }

  @Override
  public String toString() {
    return jobId + "-" + run;
  }
}
