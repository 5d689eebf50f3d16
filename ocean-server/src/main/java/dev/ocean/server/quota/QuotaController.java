package dev.ocean.server.quota;

import dev.ocean.common.api.Quota;
import dev.ocean.common.api.QuotaRequest;
import dev.ocean.server.error.Check;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import io.javalin.http.Context;

/** HTTP side of quota requests and quotas. */
public final class QuotaController {
  private final QuotaService quotas;
  private final QuotaRequestService requests;
  private final Bodies bodies;

  public QuotaController(QuotaService quotas, QuotaRequestService requests, Bodies bodies) {
    this.quotas = quotas;
    this.requests = requests;
    this.bodies = bodies;
  }

  public void createRequest(Context ctx) {
    QuotaRequest.Create req = bodies.read(ctx, QuotaRequest.Create.class);
    ctx.status(201).json(requests.request(Auth.principal(ctx), req));
  }

  public void listRequests(Context ctx) {
    ctx.json(requests.requests(Auth.principal(ctx), false, flag(ctx, "all")));
  }

  public void cancelRequest(Context ctx) {
    ctx.json(requests.cancel(Auth.principal(ctx), id(ctx)));
  }

  public void listAllRequests(Context ctx) {
    ctx.json(requests.requests(Auth.principal(ctx), true, flag(ctx, "all")));
  }

  public void approve(Context ctx) {
    ctx.json(requests.approve(Auth.principal(ctx), id(ctx), note(ctx)));
  }

  public void reject(Context ctx) {
    ctx.json(requests.reject(Auth.principal(ctx), id(ctx), note(ctx)));
  }

  public void listQuotas(Context ctx) {
    ctx.json(quotas.quotas(Auth.principal(ctx), false, flag(ctx, "all"), null));
  }

  public void listAllQuotas(Context ctx) {
    ctx.json(quotas.quotas(Auth.principal(ctx), true, flag(ctx, "all"), ctx.queryParam("user")));
  }

  public void grant(Context ctx) {
    Quota.Grant g = bodies.read(ctx, Quota.Grant.class);
    ctx.status(201).json(quotas.grant(Auth.principal(ctx), g));
  }

  public void revoke(Context ctx) {
    QuotaService.Revoked r = quotas.revoke(Auth.principal(ctx), id(ctx));
    // what it ended: the CLI prints each on stderr after its own line
    r.consequences()
        .forEach(c -> ctx.res().addHeader(dev.ocean.server.autostop.IdleController.NOTICE, c));
    ctx.json(r.quota());
  }

  private String note(Context ctx) {
    if (ctx.bodyAsBytes().length == 0) {
      return null;
    }
    return bodies.read(ctx, QuotaRequest.Decision.class).note();
  }

  private static long id(Context ctx) {
    return Check.pathId("id", ctx.pathParam("id"));
  }

  private static boolean flag(Context ctx, String name) {
    return "true".equalsIgnoreCase(ctx.queryParam(name));
  }
}
