package dev.ocean.server.job;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Lifecycle of one run of a job (one of its {@code repeat} executions), with the single table of
 * allowed transitions.
 *
 * <pre>
 *                  +--------------------- requeue ----------------------+
 *                  v                                                    |
 *   submit --> PENDING ---assign---> ASSIGNED ---started---> RUNNING ---+---exit 0---> SUCCEEDED
 *               |  ^                  |  |  |                 |  |
 *               |  +----requeue-------+  |  |                 |  +--exit != 0, node lost--> FAILED
 *               |                        |  +--node lost, image pull failure-------------> FAILED
 *             cancel                  cancel                cancel
 *               v                        v                    v
 *           CANCELLED                CANCELLED            CANCELLED
 * </pre>
 *
 * <p>PENDING, ASSIGNED and RUNNING are active: they hold quota. SUCCEEDED, FAILED and CANCELLED are
 * terminal. A run goes back to PENDING (requeue) only when the server takes an assignment back
 * without the user's work having failed: the job asked for retries and its node was lost, or an
 * assignment was never acknowledged by the agent. Anything else that ends a run ends it for good.
 */
public enum RunState {
  PENDING,
  ASSIGNED,
  RUNNING,
  SUCCEEDED,
  FAILED,
  CANCELLED;

  /** The transition table; the only place that says which state may follow which. */
  private static Set<RunState> successors(RunState from) {
    return switch (from) {
      case PENDING -> EnumSet.of(ASSIGNED, CANCELLED);
      case ASSIGNED -> EnumSet.of(RUNNING, FAILED, CANCELLED, PENDING);
      case RUNNING -> EnumSet.of(SUCCEEDED, FAILED, CANCELLED, PENDING);
      case SUCCEEDED, FAILED, CANCELLED -> EnumSet.noneOf(RunState.class);
    };
  }

  /**
   * Whether a run in this state may move to {@code next}; staying in the same state is not a move.
   */
  public boolean canTransitionTo(RunState next) {
    return successors(this).contains(next);
  }

  /** Whether the run has ended for good. */
  public boolean isTerminal() {
    return this == SUCCEEDED || this == FAILED || this == CANCELLED;
  }

  /** Whether the run holds quota: it is pending, assigned or running. */
  public boolean isActive() {
    return !isTerminal();
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
  public static RunState fromWireName(String wireName) {
    for (RunState state : values()) {
      if (state.wireName().equals(wireName)) {
        return state;
      }
    }
    throw new IllegalArgumentException("unknown run state: " + wireName);
  }
}
