package dev.ocean.server.instance;

import dev.ocean.common.api.instance.Instance;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import dev.ocean.server.job.RunLogs;
import dev.ocean.server.user.Principal;
import io.javalin.http.Context;
import java.io.IOException;

/** HTTP side of instances: parses the request, asks {@link InstanceService}, answers JSON. */
public final class InstanceController {
  private final InstanceService instances;
  private final RunLogs logs;
  private final Bodies bodies;

  public InstanceController(InstanceService instances, RunLogs logs, Bodies bodies) {
    this.instances = instances;
    this.logs = logs;
    this.bodies = bodies;
  }

  public void create(Context ctx) {
    Instance.Create body = bodies.read(ctx, Instance.Create.class);
    ctx.status(201).json(instances.create(Auth.principal(ctx), body));
  }

  public void list(Context ctx) {
    boolean all = "true".equalsIgnoreCase(ctx.queryParam("all"));
    ctx.json(instances.list(Auth.principal(ctx), all));
  }

  public void get(Context ctx) {
    ctx.json(instances.get(Auth.principal(ctx), name(ctx), user(ctx)));
  }

  public void stop(Context ctx) {
    ctx.json(instances.stop(Auth.principal(ctx), name(ctx), user(ctx)));
  }

  public void start(Context ctx) {
    ctx.json(instances.start(Auth.principal(ctx), name(ctx), user(ctx)));
  }

  public void delete(Context ctx) {
    instances.delete(Auth.principal(ctx), name(ctx), user(ctx));
    ctx.status(204);
  }

  /** The current run's log (the init's and services' output), like a job run's log. */
  public void logs(Context ctx) throws IOException, InterruptedException {
    Principal p = Auth.principal(ctx);
    var target = instances.logTarget(p, name(ctx), user(ctx));
    logs.stream(ctx, target.jobId(), target.run(), () -> instances.ended(target));
  }

  private static String name(Context ctx) {
    return ctx.pathParam("name");
  }

  private static String user(Context ctx) {
    return ctx.queryParam("user");
  }
}
