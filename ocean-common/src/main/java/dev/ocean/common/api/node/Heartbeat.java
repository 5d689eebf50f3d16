package dev.ocean.common.api.node;

import java.util.List;

/**
 * What an agent sends every few seconds: its current metrics and, when they changed, facts.
 *
 * @param activeRuns the instance runs (run ids) whose container network counters moved by more than
 *     a small threshold since the previous heartbeat: someone is connected to them directly (SSH,
 *     editor), which keeps the instance from idle stop. Empty when none; older agents omit it.
 */
public record Heartbeat(NodeMetrics metrics, NodeFacts facts, List<String> activeRuns) {

  public Heartbeat {
    activeRuns = activeRuns == null ? List.of() : List.copyOf(activeRuns);
  }

  /**
   * The server's answer: the node's state as the server sees it ({@code ready}, …) and, after an
   * admin asked to rotate the node's credential, the new credential. The agent stores it and uses
   * it from its next request on; the old one stops working once the new one was used.
   */
  public record Ack(String state, String credential) {}
}
