package dev.ocean.server.node;

import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.validation.Durations;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.http.ApiException;
import dev.ocean.server.user.Principal;
import dev.ocean.server.user.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Join tokens: expiring secrets an admin hands to a new node; stored only as hashes. */
public final class JoinTokens {
  private static final Duration MAX_TTL = Duration.ofDays(30);

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;

  JoinTokens(Jdbi jdbi, Clock clock, AuditLog audit) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
  }

  public JoinToken create(Principal admin, String ttlText) {
    Duration ttl =
        ttlText == null
            ? Duration.ofHours(1)
            : Durations.parse(ttlText)
                .orElseThrow(
                    () -> ApiException.badRequest("ttl", "ttl must look like 90s, 30m, 1h or 2d"));
    if (ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw ApiException.badRequest("ttl", "ttl must be more than 0 and at most 30d");
    }
    String secret = Tokens.newSecret("ocj_");
    long now = clock.millis();
    return jdbi.inTransaction(
        h -> {
          long id =
              h.createUpdate(
                      "INSERT INTO join_tokens (token_hash, created_by, created_at, expires_at)"
                          + " VALUES (?, ?, ?, ?)")
                  .bind(0, Tokens.hash(secret))
                  .bind(1, admin.userId())
                  .bind(2, now)
                  .bind(3, now + ttl.toMillis())
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          audit.record(h, admin.email(), "join-token.create", "join-token/" + id, "ttl " + ttl);
          JoinToken t = token(h, id);
          return new JoinToken(
              t.id(), secret, t.createdBy(), t.createdAt(), t.expiresAt(), t.state());
        });
  }

  public List<JoinToken> list() {
    return jdbi.withHandle(
        h ->
            h
                .createQuery("SELECT id FROM join_tokens ORDER BY id")
                .mapTo(Long.class)
                .list()
                .stream()
                .map(id -> token(h, id))
                .toList());
  }

  public JoinToken revoke(Principal admin, long id) {
    return jdbi.inTransaction(
        h -> {
          JoinToken t = token(h, id);
          if (!t.state().equals("active")) {
            throw ApiException.conflict("join token " + id + " is already " + t.state());
          }
          h.createUpdate("UPDATE join_tokens SET revoked_at = ? WHERE id = ?")
              .bind(0, clock.millis())
              .bind(1, id)
              .execute();
          audit.record(h, admin.email(), "join-token.revoke", "join-token/" + id, null);
          return token(h, id);
        });
  }

  /** The id of the active token behind {@code secret}, or a 401 that says what to do. */
  long admit(Handle h, String secret, long now) {
    return h.createQuery(
            "SELECT id FROM join_tokens WHERE token_hash = ? AND revoked_at IS NULL AND expires_at"
                + " > ?")
        .bind(0, Tokens.hash(secret))
        .bind(1, now)
        .mapTo(Long.class)
        .findOne()
        .orElseThrow(
            () ->
                ApiException.unauthorized(
                    "the join token is unknown, expired or revoked; ask an admin for a new one"
                        + " (`ocean admin node token`)"));
  }

  private JoinToken token(Handle h, long id) {
    long now = clock.millis();
    return h.createQuery(
            "SELECT t.*, u.email FROM join_tokens t JOIN users u ON u.id = t.created_by WHERE t.id"
                + " = ?")
        .bind(0, id)
        .map(
            (rs, ctx) -> {
              long revoked = rs.getLong("revoked_at");
              boolean isRevoked = !rs.wasNull();
              long expires = rs.getLong("expires_at");
              String state = isRevoked ? "revoked" : expires <= now ? "expired" : "active";
              return new JoinToken(
                  rs.getLong("id"),
                  null,
                  rs.getString("email"),
                  Instant.ofEpochMilli(rs.getLong("created_at")),
                  Instant.ofEpochMilli(expires),
                  state);
            })
        .findOne()
        .orElseThrow(() -> ApiException.notFound("no join token " + id));
  }
}
