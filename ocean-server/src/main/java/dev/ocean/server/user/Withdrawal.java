package dev.ocean.server.user;

import dev.ocean.common.api.User;

/**
 * Takes a disabled account's work off the cluster through the jobs' and instances' own stop paths
 * (their transition tables), as {@code actor}; says what it took. Lives outside the user package's
 * knowledge of jobs: the server wires it to the job and instance services.
 */
@FunctionalInterface
public interface Withdrawal {
  /** The reason a disabled account's runs and instances show. */
  String OWNER_DISABLED = "owner disabled by an admin";

  User.Withdrawn withdraw(long userId, String actor);
}
