package dev.ocean.cli.cluster;

import dev.ocean.common.api.node.Node;
import java.time.Instant;

/**
 * When {@code ocean up} counts its node as up: ready, or draining (an admin drained it before the
 * restart, and only they undrain it), with its agent heard from since this start: a "ready" left
 * from before the restart says nothing of whether the agent reaches this server (qa7 K7).
 */
final class Ready {
  private Ready() {}

  static boolean isUp(Node n, Instant agentFrom) {
    return ("ready".equals(n.state()) || isDraining(n))
        && n.lastSeenAt() != null
        && !n.lastSeenAt().isBefore(agentFrom);
  }

  static boolean isDraining(Node n) {
    return "draining".equals(n.state());
  }
}
