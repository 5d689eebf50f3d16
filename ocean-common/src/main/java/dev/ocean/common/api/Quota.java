package dev.ocean.common.api;

import java.time.Instant;

/**
 * A grant of {@code count} concurrent units of a machine type until {@code expiresAt}.
 *
 * @param state {@code active}, {@code expired} or {@code revoked}
 * @param inUse units this grant covers now: the user's units of the machine type fill their active
 *     grants oldest first (the newest also carries any excess, e.g. after a revoke), so the active
 *     rows of a type add up to what the user holds; 0 for an ended grant
 * @param requestId the request whose approval created it; null for a direct grant
 */
public record Quota(
    long id,
    String user,
    String machineType,
    int count,
    int inUse,
    String state,
    Instant grantedAt,
    Instant expiresAt,
    String grantedBy,
    Long requestId) {

  /** The body of an admin's direct grant. */
  public record Grant(String email, String machineType, Integer count, Integer days) {}
}
