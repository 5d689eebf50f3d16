package dev.ocean.cli.cluster;

import dev.ocean.common.api.node.Node;
import java.time.Instant;

/**
 * When {@code ocean up} counts its node as up: ready, or draining (an admin drained it before the
 * restart, and only they undrain it) with its agent heard from since this start.
 */
final class Ready {
  private Ready() {}

  static boolean isUp(Node n, Instant agentFrom) {
    if ("ready".equals(n.state())) {
      return true;
    }
    return isDraining(n) && n.lastSeenAt() != null && !n.lastSeenAt().isBefore(agentFrom);
  }

  static boolean isDraining(Node n) {
    return "draining".equals(n.state());
  }
}
