package dev.ocean.server.node;

import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.user.Tokens;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Node credentials: who a credential belongs to, and their rotation. An admin asks for a rotation;
 * each heartbeat then hands the agent a new pending credential until the agent uses one, which
 * makes it the node's only credential. A lost answer costs nothing: the current one works until
 * then.
 */
final class NodeCredentials {
  private final Jdbi jdbi;
  private final AuditLog audit;

  NodeCredentials(Jdbi jdbi, AuditLog audit) {
    this.jdbi = jdbi;
    this.audit = audit;
  }

  /** The node behind a credential, unless it was removed. */
  Optional<NodeRef> authenticate(String credential) {
    if (credential == null || credential.isEmpty()) {
      return Optional.empty();
    }
    String hash = Tokens.hash(credential);
    Optional<NodeRef> node = jdbi.withHandle(h -> find(h, "credential_hash", hash));
    if (node.isPresent()) {
      return node;
    }
    return jdbi.inTransaction(
        h -> {
          Optional<NodeRef> pending = find(h, "pending_credential_hash", hash);
          // the rotation ends here: the node's credential is now this one
          Optional<NodeRef> rotated =
              pending.map(n -> new NodeRef(n.id(), n.name(), n.state(), n.desired(), false));
          rotated.ifPresent(
              n -> {
                h.createUpdate(
                        "UPDATE nodes SET credential_hash = pending_credential_hash,"
                            + " pending_credential_hash = NULL, rotate_requested = 0 WHERE id = ?")
                    .bind(0, n.id())
                    .execute();
                audit.record(
                    h, "node/" + n.name(), "node.credential-rotated", "node/" + n.name(), null);
              });
          return rotated;
        });
  }

  /** Asks for the node's credential to be rotated at its next heartbeat. */
  static void requestRotation(Handle h, String name) {
    h.createUpdate("UPDATE nodes SET rotate_requested = 1 WHERE name = ?").bind(0, name).execute();
  }

  /** A new pending credential for the agent when a rotation was asked for, else null. */
  static String issueIfRequested(Handle h, long nodeId) {
    boolean requested =
        h.createQuery("SELECT rotate_requested FROM nodes WHERE id = ?")
                .bind(0, nodeId)
                .mapTo(Integer.class)
                .one()
            != 0;
    if (!requested) {
      return null;
    }
    String fresh = Tokens.newSecret("ocn_");
    h.createUpdate("UPDATE nodes SET pending_credential_hash = ? WHERE id = ?")
        .bind(0, Tokens.hash(fresh))
        .bind(1, nodeId)
        .execute();
    return fresh;
  }

  private static Optional<NodeRef> find(Handle h, String column, String hash) {
    // column is one of two constants above, never input
    return h.createQuery(
            "SELECT id, name, state, desired, rotate_requested FROM nodes WHERE "
                + column
                + " = ? AND state <> 'removed'")
        .bind(0, hash)
        .map(
            (rs, ctx) ->
                new NodeRef(
                    rs.getLong("id"),
                    rs.getString("name"),
                    rs.getString("state"),
                    rs.getString("desired"),
                    rs.getInt("rotate_requested") != 0))
        .findOne();
  }
}
