package dev.ocean.server.instance;

import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.instance.InstanceSpec;
import dev.ocean.server.job.InstanceRuns;
import org.jdbi.v3.core.Handle;

/**
 * The instance side of {@link InstanceRuns}: keeps an instance in step with its current run, stores
 * the endpoints its agent reports, and gives the agent the instance's spec (the owner's SSH keys,
 * read at every start, and the default editor password, the owner's email).
 */
public final class InstanceFollower implements InstanceRuns {
  private final InstanceLifecycle lifecycle;

  InstanceFollower(InstanceLifecycle lifecycle) {
    this.lifecycle = lifecycle;
  }

  @Override
  public void settled(Handle h, long jobId) {
    lifecycle.follow(h, jobId);
  }

  @Override
  public void reached(Handle h, long jobId, int run, InstanceEndpoints endpoints) {
    lifecycle.reached(h, jobId, endpoints);
  }

  @Override
  public InstanceSpec spec(Handle h, long jobId) {
    record Owner(String name, long userId, String email) {}
    Owner o =
        h.createQuery(
                "SELECT i.name, i.user_id, u.email FROM instances i JOIN users u ON u.id ="
                    + " i.user_id WHERE i.job_id = ? AND i.deleted_at IS NULL")
            .bind(0, jobId)
            .map((rs, ctx) -> new Owner(rs.getString(1), rs.getLong(2), rs.getString(3)))
            .findOne()
            .orElse(null);
    if (o == null) {
      return null;
    }
    var keys =
        h.createQuery("SELECT public_key FROM ssh_keys WHERE user_id = ? ORDER BY id")
            .bind(0, o.userId())
            .mapTo(String.class)
            .list();
    // No editor password from here: the init makes a random one at the first start. The owner's
    // email (the guide's default) is known to everyone who sees the GPU board, and the editor
    // port is published on the node's address: it would be a shell for anyone.
    return new InstanceSpec(o.name(), o.email(), keys, null);
  }
}
