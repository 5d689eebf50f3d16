package dev.ocean.common.api.job;

import java.util.List;

/**
 * The answer of the agent's long poll: runs to start on this node and runs to stop (cancelled by
 * their user, or failed by the server while the node was lost). Both are repeated until the agent
 * reports on them, so a lost answer loses nothing. Tunnels to open ({@link
 * dev.ocean.common.api.agent.TunnelOpen}) are offered again until the agent connects them; the
 * agent ignores a repeat of one it opened.
 */
public record Work(
    List<Assignment> start,
    List<String> stop,
    List<dev.ocean.common.api.agent.TunnelOpen> tunnels) {
  public Work {
    start = start == null ? List.of() : List.copyOf(start);
    stop = stop == null ? List.of() : List.copyOf(stop);
    tunnels = tunnels == null ? List.of() : List.copyOf(tunnels);
  }

  public boolean isEmpty() {
    return start.isEmpty() && stop.isEmpty() && tunnels.isEmpty();
  }
}
