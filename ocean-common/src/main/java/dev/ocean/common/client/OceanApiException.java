package dev.ocean.common.client;

import dev.ocean.common.api.Problem;

/** The server answered with an error; carries its problem detail. */
public class OceanApiException extends OceanClientException {
  private final Problem problem;
  private final long retryAfterSeconds;

  public OceanApiException(Problem problem) {
    this(problem, 0);
  }

  /** An answer that said when to try again ({@code Retry-After}, seconds; 0: it did not). */
  public OceanApiException(Problem problem, long retryAfterSeconds) {
    super(problem.detail() != null ? problem.detail() : problem.title());
    this.problem = problem;
    this.retryAfterSeconds = retryAfterSeconds;
  }

  /** Seconds the server asked to wait before trying again; 0 when it did not say. */
  public long retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public Problem problem() {
    return problem;
  }

  public int status() {
    return problem.status();
  }
}
