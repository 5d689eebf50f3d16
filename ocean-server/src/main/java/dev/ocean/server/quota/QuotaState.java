package dev.ocean.server.quota;

import java.util.Locale;

/**
 * Lifecycle of a granted quota, with the single table of allowed transitions.
 *
 * <pre>
 *   grant --> ACTIVE ---expires_at passes---> EXPIRED
 *                \-----admin revokes-------> REVOKED
 * </pre>
 *
 * An ended quota stays ended; what it covered is reclaimed when it ends.
 */
public enum QuotaState {
  ACTIVE,
  EXPIRED,
  REVOKED;

  /** The transition table; the only place that says which state may follow which. */
  public boolean canTransitionTo(QuotaState next) {
    return this == ACTIVE && next != ACTIVE;
  }

  /** The name used in the API and the database, e.g. {@code "active"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static QuotaState fromWireName(String wireName) {
    return valueOf(wireName.toUpperCase(Locale.ROOT));
  }
}
