package dev.ocean.server.quota;

import java.util.EnumSet;
import java.util.Locale;
import java.util.Set;

/**
 * Lifecycle of a quota request, with the single table of allowed transitions.
 *
 * <pre>
 *   request --> PENDING ---approve (admin)---> APPROVED   (creates a quota)
 *                  |  \----reject (admin)----> REJECTED   (with a note)
 *                  \------cancel (owner)-----> CANCELLED
 * </pre>
 *
 * Every decision is final: APPROVED, REJECTED and CANCELLED have no successors.
 */
public enum QuotaRequestState {
  PENDING("create"),
  APPROVED("approve"),
  REJECTED("reject"),
  CANCELLED("cancel");

  private final String action;

  QuotaRequestState(String action) {
    this.action = action;
  }

  /** The transition table; the only place that says which state may follow which. */
  private static Set<QuotaRequestState> successors(QuotaRequestState from) {
    return switch (from) {
      case PENDING -> EnumSet.of(APPROVED, REJECTED, CANCELLED);
      case APPROVED, REJECTED, CANCELLED -> EnumSet.noneOf(QuotaRequestState.class);
    };
  }

  public boolean canTransitionTo(QuotaRequestState next) {
    return successors(this).contains(next);
  }

  /** The verb of the audit entry for entering this state, e.g. {@code approve}. */
  String action() {
    return action;
  }

  /** The name used in the API and the database, e.g. {@code "approved"}. */
  public String wireName() {
    return name().toLowerCase(Locale.ROOT);
  }

  /**
   * The state with the given wire name.
   *
   * @throws IllegalArgumentException if no state has that name
   */
  public static QuotaRequestState fromWireName(String wireName) {
    for (QuotaRequestState s : values()) {
      if (s.wireName().equals(wireName)) {
        return s;
      }
    }
    throw new IllegalArgumentException("unknown quota request state: " + wireName);
  }
}
