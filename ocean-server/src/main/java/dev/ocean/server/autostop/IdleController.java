package dev.ocean.server.autostop;

import dev.ocean.common.api.instance.InstanceExtend;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;

/**
 * HTTP for idle stop: {@code POST /api/v1/instances/{name}/extend}, and the {@code Ocean-Notice}
 * header that warns owners on each of their API calls that an idle instance stops soon.
 */
public final class IdleController {
  /** The header that carries warnings for the caller; the CLI prints each once on stderr. */
  public static final String NOTICE = "Ocean-Notice";

  private final IdleExtend extend;
  private final IdleWatch watch;
  private final Bodies bodies;

  public IdleController(IdleExtend extend, IdleWatch watch, Bodies bodies) {
    this.extend = extend;
    this.watch = watch;
    this.bodies = bodies;
  }

  public void extend(Context ctx) {
    Integer hours =
        ctx.bodyAsBytes().length == 0 ? null : bodies.read(ctx, InstanceExtend.class).hours();
    ctx.json(
        extend.extend(Auth.principal(ctx), ctx.queryParam("user"), ctx.pathParam("name"), hours));
  }

  /**
   * Adds the caller's warnings to a read's response before its handler runs: a read changes no
   * warning, and a streamed answer ({@code GET /jobs}) sends its headers as it starts.
   */
  public void noticesBeforeRead(Context ctx) {
    if (ctx.method() == HandlerType.GET) {
      add(ctx);
    }
  }

  /**
   * Adds the caller's warnings to any other response after its handler, so an {@code extend} it
   * just made is heeded.
   */
  public void notices(Context ctx) {
    if (ctx.method() != HandlerType.GET) {
      add(ctx);
    }
  }

  private void add(Context ctx) {
    Auth.principalIfAny(ctx)
        .ifPresent(
            p -> {
              if (!ctx.res().isCommitted()) {
                watch.notices(p.userId()).forEach(n -> ctx.res().addHeader(NOTICE, n));
              }
            });
  }
}
