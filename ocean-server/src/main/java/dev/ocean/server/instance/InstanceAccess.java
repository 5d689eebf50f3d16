package dev.ocean.server.instance;

import dev.ocean.common.validation.Rules;
import dev.ocean.server.error.Forbidden;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.user.Principal;
import org.jdbi.v3.core.Handle;

/**
 * Who may act on which instance: its owner, or an admin naming the owner; to anyone else it does
 * not exist. Also how stop reasons and audit lines name the one who acted for the owner.
 */
final class InstanceAccess {
  private final InstanceLifecycle lifecycle;

  InstanceAccess(InstanceLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  /**
   * The instance {@code name} of the caller, or with {@code user} (admins only) of that user; to
   * anyone else it does not exist.
   */
  InstanceLifecycle.Row require(Handle h, Principal p, String name, String user) {
    long owner = p.userId();
    if (user != null && !user.isBlank() && !user.equalsIgnoreCase(p.email())) {
      if (!p.admin()) {
        throw new Forbidden("only admins can act on another user's instances");
      }
      owner =
          h.createQuery("SELECT id FROM users WHERE LOWER(email) = LOWER(?)")
              .bind(0, user)
              .mapTo(Long.class)
              .findOne()
              .orElseThrow(() -> new NotFound("user", "no user " + Rules.quote(user)));
    }
    return lifecycle
        .find(h, owner, name)
        .orElseThrow(() -> new NotFound("no instance named " + Rules.quote(name)));
  }

  /** How an instance's stop reason names who stopped it. */
  static String stoppedBy(Principal p, InstanceLifecycle.Row r) {
    return r.userId() == p.userId() ? "stopped by its owner" : "stopped by admin " + p.email();
  }

  /** For the audit line: the owner, when someone else (an admin) acts on the instance. */
  static String owner(Handle h, InstanceLifecycle.Row r, Principal p) {
    if (r.userId() == p.userId()) {
      return null;
    }
    return "owner "
        + h.createQuery("SELECT email FROM users WHERE id = ?")
            .bind(0, r.userId())
            .mapTo(String.class)
            .one();
  }
}
