package dev.ocean.server.quota;

import org.jdbi.v3.core.Handle;

/**
 * Gives back units when a user's quota shrinks (expiry, revocation): jobs cancel pending runs,
 * instances stop. Called inside the transaction that shrank the quota.
 */
public interface QuotaReclaimer {
  /**
   * Brings the user's usage of {@code machineType} down towards {@code allowed} units.
   *
   * @return a short description of what was reclaimed, for the audit log, or null for nothing
   */
  String reclaim(Handle h, long userId, String machineType, int allowed, String reason);
}
