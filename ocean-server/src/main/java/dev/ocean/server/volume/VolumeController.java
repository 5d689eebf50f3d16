package dev.ocean.server.volume;

import dev.ocean.common.api.Volume;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import io.javalin.http.Context;

/** HTTP side of volumes: each user sees and touches only their own. */
public final class VolumeController {
  private final VolumeService volumes;
  private final Bodies bodies;

  public VolumeController(VolumeService volumes, Bodies bodies) {
    this.volumes = volumes;
    this.bodies = bodies;
  }

  public void create(Context ctx) {
    Volume.Create req = bodies.read(ctx, Volume.Create.class);
    ctx.status(201).json(volumes.create(Auth.principal(ctx), req));
  }

  public void list(Context ctx) {
    ctx.json(volumes.list(Auth.principal(ctx)));
  }

  public void get(Context ctx) {
    ctx.json(volumes.get(Auth.principal(ctx), ctx.pathParam("name")));
  }

  public void resize(Context ctx) {
    Volume.Resize req = bodies.read(ctx, Volume.Resize.class);
    ctx.json(volumes.resize(Auth.principal(ctx), ctx.pathParam("name"), req));
  }

  public void delete(Context ctx) {
    volumes.delete(Auth.principal(ctx), ctx.pathParam("name"));
    ctx.status(204);
  }
}
