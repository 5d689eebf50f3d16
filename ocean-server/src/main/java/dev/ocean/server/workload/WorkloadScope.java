package dev.ocean.server.workload;

import java.util.List;
import java.util.Optional;

/**
 * What a workload token may do: everything its owner may do with the API, except changing the
 * account (password, login tokens, SSH keys, logging out) and admin routes, even when the owner is
 * an admin. A job or instance that leaks its token thus cannot take over the account or the
 * cluster.
 */
public final class WorkloadScope {
  private static final List<String> ACCOUNT =
      List.of(
          "/api/v1/users/me/password",
          "/api/v1/tokens",
          "/api/v1/auth/",
          "/api/v1/admin/",
          // SSH keys log in to every instance of the owner: a job must not plant or remove one
          "/api/v1/ssh-keys",
          "/api/v1/session");

  private WorkloadScope() {}

  /** Why a workload token may not call {@code path}, or empty when it may. */
  public static Optional<String> refusal(String path, boolean adminRoute) {
    boolean account = ACCOUNT.stream().anyMatch(path::startsWith);
    if (adminRoute || account) {
      return Optional.of(
          "a workload's token (OCEAN_TOKEN) cannot change the account or use admin routes; use"
              + " your own login for this");
    }
    return Optional.empty();
  }
}
