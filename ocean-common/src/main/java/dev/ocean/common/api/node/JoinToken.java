package dev.ocean.common.api.node;

import java.time.Instant;

/**
 * A join token an admin hands to a new node. The secret {@code token} is shown only when it is
 * created; listings carry null there.
 *
 * @param uses how many nodes it may admit in all
 * @param usesLeft how many more nodes it may admit
 * @param state {@code active}, {@code used}, {@code expired} or {@code revoked}
 */
public record JoinToken(
    long id,
    String token,
    String createdBy,
    Instant createdAt,
    Instant expiresAt,
    int uses,
    int usesLeft,
    String state) {

  /**
   * The body of {@code POST /api/v1/admin/join-tokens}: time to live like {@code 1h}, and how many
   * nodes it may admit (null for one).
   */
  public record Create(String ttl, Integer uses) {}
}
