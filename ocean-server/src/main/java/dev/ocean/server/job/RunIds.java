package dev.ocean.server.job;

import dev.ocean.common.api.agent.RunId;
import dev.ocean.server.error.Invalid;

/** Reads run names from request paths, answering a malformed one with a 400. */
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
}
