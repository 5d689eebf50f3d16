package dev.ocean.server.node;

import org.jdbi.v3.core.Handle;

/**
 * The version of everything about nodes that matters to placement (which nodes exist, their state,
 * their capacity and facts). It moves in the same transaction as each such change, on whichever
 * server makes it, so the scheduler may keep its read of the nodes until it moves.
 */
public final class NodeChanges {
  private NodeChanges() {}

  /** Moves the version; call inside the transaction that changes a node. */
  static void bump(Handle h) {
    h.createUpdate("UPDATE node_changes SET version = version + 1 WHERE id = 1").execute();
  }

  /** The current version. */
  public static long version(Handle h) {
    return h.createQuery("SELECT version FROM node_changes WHERE id = 1").mapTo(Long.class).one();
  }
}
