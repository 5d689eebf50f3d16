package dev.ocean.common.api.node;

/**
 * What a joining agent sends: the join token, the node name it wants and what it detected.
 *
 * @param protocol the agent protocol version it speaks ({@code Version.AGENT_PROTOCOL})
 * @param metrics the node's first sample (null from agents that send none): with it the first
 *     placements already know which GPUs something else keeps busy, before any heartbeat
 */
public record Registration(
    String joinToken,
    String name,
    String agentVersion,
    int protocol,
    NodeFacts facts,
    NodeMetrics metrics) {

  /** A registration without a first metrics sample. */
  public Registration(
      String joinToken, String name, String agentVersion, int protocol, NodeFacts facts) {
    this(joinToken, name, agentVersion, protocol, facts, null);
  }

  /**
   * The server's answer: the node's own credential (shown only this once) and settings.
   *
   * @param registration a fresh id for this registration: the agent labels what it starts with it,
   *     so containers and processes of an earlier registration (under the same node name) are never
   *     taken for its own
   */
  public record Accepted(
      String nodeName, String credential, int heartbeatSeconds, String registration) {}
}
