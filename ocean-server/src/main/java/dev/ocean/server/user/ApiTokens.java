package dev.ocean.server.user;

import dev.ocean.common.api.ApiToken;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.error.Unauthorized;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * API tokens of users: issued at login, stored only as hashes, and expiring after a lifetime of
 * disuse. Each use renews the lifetime (sliding expiry); the last use is written at most once a
 * minute per token so busy clients cause no write load.
 *
 * <p>A token's lookup is remembered for {@link #REMEMBER_MILLIS}, so a busy client costs one query
 * a second, not one per request. A revocation, a disabled account or a changed role made through
 * this server takes effect at once (the memory is dropped when it commits); one made through
 * another server sharing the database takes effect within that second.
 */
public final class ApiTokens {
  private static final Duration TOUCH_EVERY = Duration.ofMinutes(1);

  /** How long a token's lookup is remembered. */
  static final long REMEMBER_MILLIS = 1000;

  private final Map<String, Remembered> remembered = new ConcurrentHashMap<>();

  private final Jdbi jdbi;
  private final Clock clock;
  private final Duration ttl;

  ApiTokens(Jdbi jdbi, Clock clock, Duration ttl) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.ttl = ttl;
  }

  /** A new token for this user; the secret is returned only here. */
  String issue(Handle h, long userId) {
    String token = Tokens.newSecret("oc_");
    h.createUpdate("INSERT INTO api_tokens (user_id, token_hash, created_at) VALUES (?, ?, ?)")
        .bind(0, userId)
        .bind(1, Tokens.hash(token))
        .bind(2, clock.millis())
        .execute();
    return token;
  }

  /**
   * Marks a token just issued by a login as a web UI session: it then travels only in the HttpOnly
   * cookie, never in the page.
   */
  public void markSession(String token) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE api_tokens SET kind = 'session' WHERE token_hash = ?")
                .bind(0, Tokens.hash(token))
                .execute());
  }

  private record Row(Principal principal, long createdAt, Long lastUsedAt) {
    long lastActive() {
      return lastUsedAt == null ? createdAt : lastUsedAt;
    }
  }

  private record Remembered(Row row, long until) {}

  /**
   * Drops every remembered lookup now and again when {@code h}'s transaction commits: tokens or
   * accounts changed in it must not be served from memory after the change.
   */
  void forgetOnCommit(Handle h) {
    remembered.clear();
    h.afterCommit(remembered::clear);
  }

  /**
   * The active user behind an API token; empty when unknown or revoked, and a 401 that says so when
   * it expired.
   */
  public Optional<Principal> authenticate(String token) {
    long now = clock.millis();
    String hash = Tokens.hash(token);
    Remembered known = remembered.get(hash);
    // (a clock set back, as tests do, makes a memory from "the future" stale as well)
    boolean fresh = known != null && now < known.until() && now >= known.until() - REMEMBER_MILLIS;
    Row r = fresh ? known.row() : lookUp(hash).orElse(null);
    if (r == null) {
      remembered.remove(hash);
      return Optional.empty();
    }
    if (now >= r.lastActive() + ttl.toMillis()) {
      remembered.remove(hash);
      throw new Unauthorized("token expired, run `ocean login` to get a new one");
    }
    long until = fresh ? known.until() : now + REMEMBER_MILLIS;
    if (r.lastUsedAt() == null || now - r.lastUsedAt() >= TOUCH_EVERY.toMillis()) {
      long tokenId = r.principal().tokenId();
      jdbi.useHandle(
          h ->
              h.createUpdate("UPDATE api_tokens SET last_used_at = ? WHERE id = ?")
                  .bind(0, now)
                  .bind(1, tokenId)
                  .execute());
      r = new Row(r.principal(), r.createdAt(), now);
      remember(hash, new Remembered(r, until));
    } else if (!fresh) {
      remember(hash, new Remembered(r, until));
    }
    return Optional.of(r.principal());
  }

  private void remember(String hash, Remembered r) {
    if (remembered.size() >= 100_000) {
      remembered.clear(); // a bound against many distinct tokens; a lookup is cheap to redo
    }
    remembered.put(hash, r);
  }

  private Optional<Row> lookUp(String hash) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT t.id AS token_id, t.created_at, t.last_used_at, u.id, u.email,"
                        + " u.role FROM api_tokens t JOIN users u ON u.id = t.user_id WHERE"
                        + " t.token_hash = ? AND t.revoked_at IS NULL AND u.status = 'active'")
                .bind(0, hash)
                .map(
                    (rs, ctx) -> {
                      long lastUsed = rs.getLong("last_used_at");
                      Long last = rs.wasNull() ? null : lastUsed;
                      return new Row(
                          new Principal(
                              rs.getLong("id"),
                              rs.getString("email"),
                              "admin".equals(rs.getString("role")),
                              rs.getLong("token_id"),
                              null),
                          rs.getLong("created_at"),
                          last);
                    })
                .findOne());
  }

  /** The caller's tokens that still work, oldest first. */
  public List<ApiToken> list(Principal p) {
    long now = clock.millis();
    return jdbi.withHandle(
        h ->
            h
                .createQuery(
                    "SELECT id, kind, created_at, last_used_at FROM api_tokens WHERE user_id = ? AND"
                        + " revoked_at IS NULL ORDER BY id")
                .bind(0, p.userId())
                .map(
                    (rs, ctx) -> {
                      long lastUsed = rs.getLong("last_used_at");
                      Long last = rs.wasNull() ? null : lastUsed;
                      long created = rs.getLong("created_at");
                      long expires = (last == null ? created : last) + ttl.toMillis();
                      long id = rs.getLong("id");
                      return new ApiToken(
                          id,
                          rs.getString("kind"),
                          Instant.ofEpochMilli(created),
                          last == null ? null : Instant.ofEpochMilli(last),
                          Instant.ofEpochMilli(expires),
                          id == p.tokenId());
                    })
                .list()
                .stream()
                .filter(t -> t.expiresAt().toEpochMilli() > now)
                .toList());
  }

  /** Revokes one of the caller's own tokens; someone else's id is simply not found. */
  public void revoke(Principal p, long id) {
    boolean known = list(p).stream().anyMatch(t -> t.id() == id);
    int changed =
        !known
            ? 0
            : jdbi.withHandle(
                h ->
                    h.createUpdate(
                            "UPDATE api_tokens SET revoked_at = ? WHERE id = ? AND user_id = ? AND"
                                + " revoked_at IS NULL")
                        .bind(0, clock.millis())
                        .bind(1, id)
                        .bind(2, p.userId())
                        .execute());
    remembered.clear();
    if (changed == 0) {
      throw new NotFound("you have no token " + id + "; see `ocean token list`");
    }
  }

  /** Revokes every token of a user except {@code keepId} (null keeps none). */
  void revokeAll(Handle h, long userId, Long keepId) {
    forgetOnCommit(h);
    h.createUpdate(
            "UPDATE api_tokens SET revoked_at = ? WHERE user_id = ? AND revoked_at IS NULL AND id"
                + " <> ?")
        .bind(0, clock.millis())
        .bind(1, userId)
        .bind(2, keepId == null ? -1L : keepId)
        .execute();
  }

  void revokeOne(long tokenId) {
    jdbi.useHandle(
        h ->
            h.createUpdate("UPDATE api_tokens SET revoked_at = ? WHERE id = ?")
                .bind(0, clock.millis())
                .bind(1, tokenId)
                .execute());
    remembered.clear();
  }
}
