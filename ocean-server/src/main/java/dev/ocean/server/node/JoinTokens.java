package dev.ocean.server.node;

import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.validation.Durations;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.error.Unauthorized;
import dev.ocean.server.user.Principal;
import dev.ocean.server.user.Tokens;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Join tokens: expiring secrets an admin hands to new nodes, each good for a number of nodes (one
 * by default); stored only as hashes.
 */
public final class JoinTokens {
  private static final Duration MAX_TTL = Duration.ofDays(30);
  private static final int MAX_USES = 1000;

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;

  JoinTokens(Jdbi jdbi, Clock clock, AuditLog audit) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
  }

  /** A single-use token. */
  public JoinToken create(Principal admin, String ttlText) {
    return create(admin, ttlText, null);
  }

  /** A token for {@code usesWanted} nodes (null for one) that expires after {@code ttlText}. */
  public JoinToken create(Principal admin, String ttlText, Integer usesWanted) {
    int uses = usesWanted == null ? 1 : Check.range("uses", usesWanted, 1, MAX_USES);
    Duration ttl =
        ttlText == null
            ? Duration.ofHours(1)
            : Durations.parse(ttlText)
                .orElseThrow(() -> new Invalid("ttl", "ttl must look like 90s, 30m, 1h or 2d"));
    if (ttl.isZero() || ttl.compareTo(MAX_TTL) > 0) {
      throw new Invalid("ttl", "ttl must be more than 0 and at most 30d");
    }
    String secret = Tokens.newSecret("ocj_");
    long now = clock.millis();
    return jdbi.inTransaction(
        h -> {
          long id =
              h.createUpdate(
                      "INSERT INTO join_tokens (token_hash, created_by, created_at, expires_at,"
                          + " uses, uses_left) VALUES (?, ?, ?, ?, ?, ?)")
                  .bind(0, Tokens.hash(secret))
                  .bind(1, admin.userId())
                  .bind(2, now)
                  .bind(3, now + ttl.toMillis())
                  .bind(4, uses)
                  .bind(5, uses)
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          audit.record(
              h,
              admin.email(),
              "join-token.create",
              "join-token/" + id,
              "ttl " + ttl + ", uses " + uses);
          JoinToken t = token(h, id);
          return new JoinToken(
              t.id(),
              secret,
              t.createdBy(),
              t.createdAt(),
              t.expiresAt(),
              t.uses(),
              t.usesLeft(),
              t.state());
        });
  }

  public List<JoinToken> list() {
    long now = clock.millis();
    return jdbi.withHandle(
        h -> h.createQuery(SELECT + " ORDER BY t.id").map((rs, ctx) -> token(rs, now)).list());
  }

  public JoinToken revoke(Principal admin, long id) {
    return jdbi.inTransaction(
        h -> {
          JoinToken t = token(h, id);
          if (!t.state().equals("active")) {
            throw new Conflict("join token " + id + " is already " + t.state());
          }
          h.createUpdate("UPDATE join_tokens SET revoked_at = ? WHERE id = ?")
              .bind(0, clock.millis())
              .bind(1, id)
              .execute();
          audit.record(h, admin.email(), "join-token.revoke", "join-token/" + id, null);
          return token(h, id);
        });
  }

  /**
   * Spends one use of the active token behind {@code secret} and returns its id, or a 401 that says
   * what to do. Within the caller's transaction, so a refused registration spends nothing.
   */
  long admit(Handle h, String secret, long now) {
    long id =
        h.createQuery(
                "SELECT id FROM join_tokens WHERE token_hash = ? AND revoked_at IS NULL AND"
                    + " expires_at > ?")
            .bind(0, Tokens.hash(secret))
            .bind(1, now)
            .mapTo(Long.class)
            .findOne()
            .orElseThrow(
                () ->
                    new Unauthorized(
                        "the join token is unknown, expired or revoked; ask an admin for a new one"
                            + " (`ocean admin node token`)"));
    int spent =
        h.createUpdate(
                "UPDATE join_tokens SET uses_left = uses_left - 1 WHERE id = ? AND uses_left > 0")
            .bind(0, id)
            .execute();
    if (spent == 0) {
      throw new Unauthorized(
          "the join token has already been used; ask an admin for a new one (`ocean admin node"
              + " token`, or `--uses N` for several nodes)");
    }
    return id;
  }

  private static final String SELECT =
      "SELECT t.*, u.email FROM join_tokens t JOIN users u ON u.id = t.created_by";

  private JoinToken token(Handle h, long id) {
    long now = clock.millis();
    return h.createQuery(SELECT + " WHERE t.id = ?")
        .bind(0, id)
        .map((rs, ctx) -> token(rs, now))
        .findOne()
        .orElseThrow(() -> new NotFound("no join token " + id));
  }

  private static JoinToken token(ResultSet rs, long now) throws SQLException {
    long revoked = rs.getLong("revoked_at");
    boolean isRevoked = !rs.wasNull();
    long expires = rs.getLong("expires_at");
    int usesLeft = rs.getInt("uses_left");
    String state =
        isRevoked ? "revoked" : usesLeft <= 0 ? "used" : expires <= now ? "expired" : "active";
    return new JoinToken(
        rs.getLong("id"),
        null,
        rs.getString("email"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        Instant.ofEpochMilli(expires),
        rs.getInt("uses"),
        usesLeft,
        state);
  }
}
