package dev.ocean.common.api.node;

/** What an agent sends every few seconds: its current metrics and, when they changed, facts. */
public record Heartbeat(NodeMetrics metrics, NodeFacts facts) {

  /**
   * The server's answer: the node's state as the server sees it ({@code ready}, …) and, after an
   * admin asked to rotate the node's credential, the new credential. The agent stores it and uses
   * it from its next request on; the old one stops working once the new one was used.
   */
  public record Ack(String state, String credential) {}
}
