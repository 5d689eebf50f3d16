package dev.ocean.common.api;

import java.time.Instant;

/**
 * An account as the API shows it; never carries the password hash.
 *
 * @param role {@code user} or {@code admin}
 * @param status {@code active}, {@code pending} (awaiting admin activation) or {@code disabled}
 */
public record User(long id, String email, String role, String status, Instant createdAt) {}
