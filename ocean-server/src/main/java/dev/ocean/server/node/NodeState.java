package dev.ocean.server.node;

import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * The lifecycle of a node.
 *
 * <pre>
 *            drain            silent for the lost timeout
 *   ready ─────────▶ draining ─────────────┐
 *     ▲  ◀─────────     │                  ▼
 *     │    undrain      └───────────────▶ lost ──heartbeat──▶ ready | draining (as the admin left it)
 *     │                                    │
 *     └────────── every state ── remove / agent leaves ──▶ removed (a new join brings it back)
 * </pre>
 */
public enum NodeState {
  READY,
  DRAINING,
  LOST,
  REMOVED;

  private static final Map<NodeState, Set<NodeState>> NEXT =
      Map.of(
          READY, EnumSet.of(DRAINING, LOST, REMOVED),
          DRAINING, EnumSet.of(READY, LOST, REMOVED),
          LOST, EnumSet.of(READY, DRAINING, REMOVED),
          REMOVED, EnumSet.of(READY));

  public boolean canTransitionTo(NodeState next) {
    return NEXT.get(this).contains(next);
  }

  public String wireName() {
    return name().toLowerCase(java.util.Locale.ROOT);
  }

  public static NodeState of(String wire) {
    return valueOf(wire.toUpperCase(java.util.Locale.ROOT));
  }
}
