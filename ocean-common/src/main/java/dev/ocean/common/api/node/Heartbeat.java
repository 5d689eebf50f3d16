package dev.ocean.common.api.node;

/** What an agent sends every few seconds: its current metrics and, when they changed, facts. */
public record Heartbeat(NodeMetrics metrics, NodeFacts facts) {

  /** The server's answer: the node's state as the server sees it ({@code ready}, …). */
  public record Ack(String state) {}
}
