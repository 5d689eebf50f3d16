package dev.ocean.server.instance;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Lifecycle of an instance, with the single table of allowed transitions. The state follows the
 * instance's current run (its latest start), except {@code start} and {@code delete}, which the
 * user asks for.
 *
 * <pre>
 *             +---------------------------- start ----------------------------+
 *             v                                                               |
 *   create -> PENDING --assigned--> STARTING --running--> RUNNING      STOPPED, FAILED
 *             |  ^                   |  |  |               |  |
 *             |  +----requeued-------+  |  |               |  +--stop, init exited--> STOPPED
 *             |                         |  +--stop------------------------------------> STOPPED
 *             +--stop--> STOPPED        +--image missing, node lost, init failed-----> FAILED
 *                                                          +--node lost, failed-----> FAILED
 *
 *   any state but DELETED --delete--> DELETED
 * </pre>
 *
 * <p>PENDING waits in the FIFO queue with jobs; STARTING means a node took it and its agent is
 * starting the container; RUNNING means users can reach it. STOPPED and FAILED keep the instance
 * (and its quota unit, name and host key) until it is started again or deleted. DELETED is terminal
 * and frees the name and the quota unit.
 */
public enum InstanceState {
  PENDING,
  STARTING,
  RUNNING,
  STOPPED,
  FAILED,
  DELETED;

  /** The transition table; the only place that says which state may follow which. */
  private static Set<InstanceState> successors(InstanceState from) {
    return switch (from) {
      case PENDING -> EnumSet.of(STARTING, STOPPED, FAILED, DELETED);
      case STARTING -> EnumSet.of(RUNNING, PENDING, STOPPED, FAILED, DELETED);
      case RUNNING -> EnumSet.of(STOPPED, FAILED, DELETED);
      case STOPPED, FAILED -> EnumSet.of(PENDING, DELETED);
      case DELETED -> EnumSet.noneOf(InstanceState.class);
    };
  }

  /** Whether an instance in this state may move to {@code next}; staying is not a move. */
  public boolean canTransitionTo(InstanceState next) {
    return successors(this).contains(next);
  }

  /** Whether its current run is queued or on a node (stop has something to stop). */
  public boolean isActive() {
    return this == PENDING || this == STARTING || this == RUNNING;
  }

  /** The name used in the API, the database and the CLI, e.g. {@code "running"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state with the given wire name.
   *
   * @throws IllegalArgumentException if no state has that name
   */
  public static InstanceState fromWireName(String wireName) {
    for (InstanceState s : values()) {
      if (s.wireName().equals(wireName)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown instance state: " + wireName);
  }

  /**
   * The state an instance follows from its current run's state: pending waits, assigned starts,
   * running runs; a run cancelled (stop) or that ended by itself is stopped; failed is failed.
   */
  public static InstanceState followingRun(String runState) {
    return switch (runState) {
      case "pending" -> PENDING;
      case "assigned" -> STARTING;
      case "running" -> RUNNING;
      case "failed" -> FAILED;
      case "cancelled", "succeeded" -> STOPPED;
      default -> throw new IllegalArgumentException("unknown run state: " + runState);
    };
  }
}
