package dev.ocean.server.scheduler;

/**
 * Whether a node may receive new runs; only {@link #READY} nodes get anything from the scheduler.
 */
public enum NodeStatus {
  /** Heartbeating and accepting work. */
  READY,
  /** Heartbeating, but an admin asked that it get no new work; its runs finish. */
  DRAINING,
  /** Stopped heartbeating; nothing is placed on it. */
  LOST
}
