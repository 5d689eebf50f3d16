package dev.ocean.common.api;

import java.time.Instant;

/**
 * One of the caller's API tokens as {@code ocean token list} shows it; never carries the secret.
 *
 * @param lastUsedAt null when never used since login
 * @param expiresAt when it stops working unless used before (each use renews it)
 * @param current whether this is the token the request was made with
 */
public record ApiToken(
    long id, Instant createdAt, Instant lastUsedAt, Instant expiresAt, boolean current) {}
