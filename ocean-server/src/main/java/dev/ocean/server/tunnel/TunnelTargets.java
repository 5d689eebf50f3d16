package dev.ocean.server.tunnel;

import java.time.Instant;
import java.util.Optional;

/**
 * Where a tunnel to an instance leads: the node and run of the instance's running start, looked up
 * for its owner only. One small interface so the lookup follows the instance model wherever it
 * settles.
 */
public interface TunnelTargets {

  /**
   * A running instance a tunnel may reach.
   *
   * @param runId the run as the agent knows it ({@code JOB-INDEX.ATTEMPT})
   */
  record Target(long userId, String instance, String node, String runId) {}

  /** The owner's running instance of that name, or empty (also when it is someone else's). */
  Optional<Target> find(long userId, String instance);

  /**
   * The state of the owner's instance of that name when it exists but does not run (pending,
   * starting, stopped, failed), so a tunnel to it can say so; empty otherwise.
   */
  default Optional<String> notRunning(long userId, String instance) {
    return Optional.empty();
  }

  /** Notes that a tunnel to {@code target} carried bytes at {@code at}, for idle stop. */
  void recordActivity(Target target, Instant at);
}
