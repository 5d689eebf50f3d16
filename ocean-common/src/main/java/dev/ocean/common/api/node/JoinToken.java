package dev.ocean.common.api.node;

import java.time.Instant;

/**
 * A join token an admin hands to a new node. The secret {@code token} is shown only when it is
 * created; listings carry null there.
 *
 * @param state {@code active}, {@code expired} or {@code revoked}
 */
public record JoinToken(
    long id, String token, String createdBy, Instant createdAt, Instant expiresAt, String state) {

  /** The body of {@code POST /api/v1/admin/join-tokens}: time to live like {@code 1h}. */
  public record Create(String ttl) {}
}
