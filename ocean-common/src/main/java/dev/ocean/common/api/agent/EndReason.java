package dev.ocean.common.api.agent;

import java.util.Optional;

/**
 * Why the server ended (or took back) a run without its agent's word: typed, so that code tests the
 * reason instead of matching free text. {@link #text()} is what users see as the run's reason.
 */
public enum EndReason {
  /** Its node stopped heartbeating. */
  NODE_LOST("node lost"),
  /** Its node was removed by an admin or left. */
  NODE_REMOVED("node removed"),
  /** It waits again after its node was lost, because the job asked for retries. */
  REQUEUED("requeued: node lost"),
  /** Its agent reported a complete run list without it. */
  AGENT_LACKS_RUN("the node's agent no longer has this run"),
  /** Its user cancelled it before it started. */
  CANCELLED_BY_USER("cancelled by user");

  private final String text;

  EndReason(String text) {
    this.text = text;
  }

  public String text() {
    return text;
  }

  /** The reason a run's stored text names, if it is one of these. */
  public static Optional<EndReason> of(String text) {
    for (EndReason r : values()) {
      if (r.text.equals(text)) {
        return Optional.of(r);
      }
    }
    return Optional.empty();
  }
}
