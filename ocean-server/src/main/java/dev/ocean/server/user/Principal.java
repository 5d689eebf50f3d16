package dev.ocean.server.user;

/**
 * The authenticated user of a request.
 *
 * @param tokenId the login token's id; for a workload token, the workload token's id
 * @param workload null for a login token; for the token a run got in {@code OCEAN_TOKEN}, the run
 *     it belongs to (such a principal is never admin and may not change the account)
 */
public record Principal(long userId, String email, boolean admin, long tokenId, Workload workload) {

  /**
   * The run a workload token was minted for.
   *
   * @param instanceId the instance whose run it is, or null for a job's run
   */
  public record Workload(long jobId, int runIndex, Long instanceId) {}
}
