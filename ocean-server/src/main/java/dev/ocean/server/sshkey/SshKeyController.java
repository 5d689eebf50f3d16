package dev.ocean.server.sshkey;

import dev.ocean.common.api.instance.SshKey;
import dev.ocean.server.error.Check;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import io.javalin.http.Context;

/** HTTP side of SSH keys: add, list, remove the caller's own. */
public final class SshKeyController {
  private final SshKeyService keys;
  private final Bodies bodies;

  public SshKeyController(SshKeyService keys, Bodies bodies) {
    this.keys = keys;
    this.bodies = bodies;
  }

  public void add(Context ctx) {
    SshKey.Add body = bodies.read(ctx, SshKey.Add.class);
    ctx.status(201).json(keys.add(Auth.principal(ctx), body));
  }

  public void list(Context ctx) {
    ctx.json(keys.list(Auth.principal(ctx)));
  }

  public void remove(Context ctx) {
    keys.remove(Auth.principal(ctx), Check.pathId("id", ctx.pathParam("id")));
    ctx.status(204);
  }
}
