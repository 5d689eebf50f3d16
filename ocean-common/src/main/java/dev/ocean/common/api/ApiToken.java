package dev.ocean.common.api;

import java.time.Instant;

/**
 * One of the caller's API tokens as {@code ocean token list} shows it; never carries the secret.
 *
 * @param kind {@code api} for a token the CLI (or another client) logged in with, {@code session}
 *     for a web browser's session, which lives only in its HttpOnly cookie
 * @param lastUsedAt null when never used since login
 * @param expiresAt when it stops working unless used before (each use renews it)
 * @param current whether this is the token the request was made with
 */
public record ApiToken(
    long id,
    String kind,
    Instant createdAt,
    Instant lastUsedAt,
    Instant expiresAt,
    boolean current) {
  /** {@link #kind} of a CLI or API client's token. */
  public static final String API = "api";

  /** {@link #kind} of a web browser's session. */
  public static final String SESSION = "session";
}
