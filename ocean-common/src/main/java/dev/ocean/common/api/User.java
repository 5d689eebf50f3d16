package dev.ocean.common.api;

import java.time.Instant;

/**
 * An account as the API shows it; never carries the password hash.
 *
 * @param role {@code user} or {@code admin}
 * @param status {@code active}, {@code pending} (awaiting admin activation) or {@code disabled}
 */
public record User(long id, String email, String role, String status, Instant createdAt) {

  /**
   * An admin's new account, {@code POST /api/v1/admin/users}: active at once; {@code password} null
   * to have one generated; {@code admin} true for an admin account.
   */
  public record Create(String email, String password, Boolean admin) {}

  /**
   * The answer to {@link Create}: the account and its generated password (shown once; else null).
   */
  public record Created(User user, String password) {}

  /**
   * The answer to an admin's action on an account, {@code POST /api/v1/admin/users/EMAIL/ACTION}:
   * the account as {@link User} shows it, plus what disabling it took off the cluster.
   *
   * @param withdrawn for {@code disable}, the work it cancelled and stopped; null for the others
   */
  public record Changed(
      long id, String email, String role, String status, Instant createdAt, Withdrawn withdrawn) {}

  /**
   * What disabling an account took off the cluster: its active jobs cancelled (their pending runs
   * at once, their running ones asked to stop) and its active instances stopped.
   *
   * @param runs the runs of those jobs that were pending, assigned or running
   */
  public record Withdrawn(int jobs, int runs, int instances) {}
}
