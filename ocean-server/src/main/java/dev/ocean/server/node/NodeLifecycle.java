package dev.ocean.server.node;

import dev.ocean.server.error.Conflict;
import java.util.Optional;
import org.jdbi.v3.core.Handle;

/**
 * The one place a node's state changes: each move is checked against {@link NodeState}'s table and
 * written with an UPDATE guarded by the state it was read in, so two writers never both win.
 */
final class NodeLifecycle {
  private NodeLifecycle() {}

  /** The node's current state, or empty when no node has that name. */
  static Optional<NodeState> state(Handle h, String name) {
    return h.createQuery("SELECT state FROM nodes WHERE name = ?")
        .bind(0, name)
        .mapTo(String.class)
        .findOne()
        .map(NodeState::of);
  }

  /**
   * Moves the node to {@code to}; staying where it is counts as done. Throws a conflict when the
   * table does not allow the move.
   */
  static void move(Handle h, String name, NodeState to) {
    NodeState from = state(h, name).orElseThrow(() -> new Conflict("no node named " + name));
    if (from == to) {
      return;
    }
    if (!from.canTransitionTo(to)) {
      throw new Conflict("node " + name + " is " + from.wireName() + ", not " + to.wireName());
    }
    write(h, name, from, to);
  }

  /** Like {@link #move}, but a node that may not move that way (any more) is left as it is. */
  static boolean tryMove(Handle h, String name, NodeState to) {
    Optional<NodeState> from = state(h, name);
    if (from.isEmpty() || from.get() == to || !from.get().canTransitionTo(to)) {
      return false;
    }
    return write(h, name, from.get(), to);
  }

  private static boolean write(Handle h, String name, NodeState from, NodeState to) {
    boolean moved =
        h.createUpdate("UPDATE nodes SET state = ? WHERE name = ? AND state = ?")
                .bind(0, to.wireName())
                .bind(1, name)
                .bind(2, from.wireName())
                .execute()
            == 1;
    if (moved) {
      NodeChanges.bump(h); // the scheduler's read of the nodes is out of date
    }
    return moved;
  }
}
