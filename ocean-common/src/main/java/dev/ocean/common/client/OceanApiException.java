package dev.ocean.common.client;

import dev.ocean.common.api.Problem;

/** The server answered with an error; carries its problem detail. */
public class OceanApiException extends OceanClientException {
  private final Problem problem;

  public OceanApiException(Problem problem) {
    super(problem.detail() != null ? problem.detail() : problem.title());
    this.problem = problem;
  }

  public Problem problem() {
    return problem;
  }

  public int status() {
    return problem.status();
  }
}
