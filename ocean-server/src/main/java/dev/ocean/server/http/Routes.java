package dev.ocean.server.http;

import static dev.ocean.server.http.Routes.Body.JSON;
import static dev.ocean.server.http.Routes.Body.NONE;
import static dev.ocean.server.http.Routes.Body.OPTIONAL;
import static dev.ocean.server.http.Routes.Body.RAW;
import static dev.ocean.server.user.Role.ADMIN;
import static dev.ocean.server.user.Role.ANYONE;
import static dev.ocean.server.user.Role.NODE;
import static dev.ocean.server.user.Role.USER;
import static io.javalin.http.HandlerType.DELETE;
import static io.javalin.http.HandlerType.GET;
import static io.javalin.http.HandlerType.HEAD;
import static io.javalin.http.HandlerType.PATCH;
import static io.javalin.http.HandlerType.POST;
import static io.javalin.http.HandlerType.PUT;

import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.autostop.IdleController;
import dev.ocean.server.backup.BackupController;
import dev.ocean.server.catalog.CatalogController;
import dev.ocean.server.dist.Distribution;
import dev.ocean.server.health.HealthController;
import dev.ocean.server.instance.InstanceController;
import dev.ocean.server.job.JobController;
import dev.ocean.server.metrics.ClusterMetrics;
import dev.ocean.server.node.NodeController;
import dev.ocean.server.quota.QuotaController;
import dev.ocean.server.sshkey.SshKeyController;
import dev.ocean.server.user.Role;
import dev.ocean.server.user.UserController;
import dev.ocean.server.volume.VolumeController;
import dev.ocean.server.web.SecurityHeaders;
import dev.ocean.server.web.WebUi;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.http.HandlerType;
import java.util.ArrayList;
import java.util.List;
import java.util.Objects;

/**
 * Every route of the REST API, in one table, with the role each needs and whether it takes a body.
 * The table is public so the generated authorization and fuzz tests cover every route; a HEAD is
 * answered by the GET route's handler under the GET route's role.
 */
public final class Routes {
  private Routes() {}

  /** What a route reads from the request body; a route that takes none refuses one. */
  public enum Body {
    NONE,
    JSON,
    /** A JSON body that may be left out (e.g. an approval's note). */
    OPTIONAL,
    /** Raw bytes (log chunks). */
    RAW
  }

  /** One row of the table. */
  public record Route(HandlerType method, String path, Role role, Body body, Handler handler) {
    public Route {
      Objects.requireNonNull(role, () -> method + " " + path + " has no role");
    }
  }

  /** The controllers the routes dispatch to. */
  public record Controllers(
      UserController users,
      CatalogController catalog,
      QuotaController quotas,
      VolumeController volumes,
      NodeController nodes,
      JobController jobs,
      ClusterMetrics metrics,
      AuditLog audit,
      HealthController health,
      BackupController backup,
      InstanceController instances,
      SshKeyController sshKeys,
      IdleController idle,
      WebUi web) {}

  /** The table; handlers look their controller up only when called. */
  public static List<Route> table(Controllers c) {
    String api = "/api/v1";
    StreamLimit streams = new StreamLimit(StreamLimit.PER_USER);
    List<Route> t = new ArrayList<>();
    t.add(new Route(GET, "/metrics", ANYONE, NONE, ctx -> c.metrics().serve(ctx)));
    t.add(new Route(GET, api + "/health", ANYONE, NONE, ctx -> c.health().health(ctx)));
    t.add(new Route(GET, "/install.sh", ANYONE, NONE, Distribution::installScript));
    t.add(new Route(GET, "/download/ocean.tar.gz", ANYONE, NONE, Distribution::tarball));
    t.add(new Route(GET, "/", ANYONE, NONE, ctx -> c.web().assets().index(ctx)));
    t.add(new Route(GET, "/assets/<path>", ANYONE, NONE, ctx -> c.web().assets().asset(ctx)));
    t.add(new Route(POST, api + "/session", ANYONE, JSON, ctx -> c.web().session().login(ctx)));
    t.add(new Route(DELETE, api + "/session", ANYONE, NONE, ctx -> c.web().session().logout(ctx)));
    t.add(
        new Route(
            GET, api + "/events", USER, NONE, streams.around(ctx -> c.web().events().stream(ctx))));
    t.add(new Route(GET, api + "/gpu-hours", USER, NONE, ctx -> c.web().gpuHours().serve(ctx)));

    t.add(new Route(POST, api + "/auth/signup", ANYONE, JSON, ctx -> c.users().signup(ctx)));
    t.add(new Route(POST, api + "/auth/login", ANYONE, JSON, ctx -> c.users().login(ctx)));
    t.add(new Route(POST, api + "/auth/logout", USER, NONE, ctx -> c.users().logout(ctx)));
    t.add(new Route(GET, api + "/users/me", USER, NONE, ctx -> c.users().me(ctx)));
    t.add(
        new Route(
            POST, api + "/users/me/password", USER, JSON, ctx -> c.users().changePassword(ctx)));
    t.add(new Route(GET, api + "/tokens", USER, NONE, ctx -> c.users().listTokens(ctx)));
    t.add(
        new Route(
            POST, api + "/tokens/{id}/revoke", USER, NONE, ctx -> c.users().revokeToken(ctx)));

    String mt = api + "/machine-types";
    t.add(new Route(GET, mt, USER, NONE, ctx -> c.catalog().listMachineTypes(ctx)));
    t.add(new Route(POST, mt, ADMIN, JSON, ctx -> c.catalog().createMachineType(ctx)));
    t.add(new Route(PATCH, mt + "/{name}", ADMIN, JSON, ctx -> c.catalog().updateMachineType(ctx)));
    t.add(
        new Route(DELETE, mt + "/{name}", ADMIN, NONE, ctx -> c.catalog().deleteMachineType(ctx)));
    String im = api + "/images";
    t.add(new Route(GET, im, USER, NONE, ctx -> c.catalog().listImages(ctx)));
    t.add(new Route(POST, im, ADMIN, JSON, ctx -> c.catalog().addImage(ctx)));
    t.add(new Route(PATCH, im + "/{name}", ADMIN, JSON, ctx -> c.catalog().updateImage(ctx)));
    t.add(new Route(DELETE, im + "/{name}", ADMIN, NONE, ctx -> c.catalog().removeImage(ctx)));

    String qr = api + "/quota-requests";
    t.add(new Route(GET, qr, USER, NONE, ctx -> c.quotas().listRequests(ctx)));
    t.add(new Route(POST, qr, USER, JSON, ctx -> c.quotas().createRequest(ctx)));
    t.add(new Route(POST, qr + "/{id}/cancel", USER, NONE, ctx -> c.quotas().cancelRequest(ctx)));
    t.add(new Route(GET, api + "/quotas", USER, NONE, ctx -> c.quotas().listQuotas(ctx)));

    t.add(new Route(GET, api + "/volumes", USER, NONE, ctx -> c.volumes().list(ctx)));
    t.add(new Route(POST, api + "/volumes", USER, JSON, ctx -> c.volumes().create(ctx)));
    t.add(new Route(GET, api + "/volumes/{name}", USER, NONE, ctx -> c.volumes().get(ctx)));
    t.add(new Route(PATCH, api + "/volumes/{name}", USER, JSON, ctx -> c.volumes().resize(ctx)));
    t.add(new Route(DELETE, api + "/volumes/{name}", USER, NONE, ctx -> c.volumes().delete(ctx)));

    t.add(new Route(GET, api + "/nodes", USER, NONE, ctx -> c.nodes().list(ctx)));
    t.add(new Route(GET, api + "/nodes/{name}", USER, NONE, ctx -> c.nodes().get(ctx)));
    t.add(new Route(GET, api + "/nodes/{name}/metrics", USER, NONE, ctx -> c.nodes().history(ctx)));
    t.add(new Route(GET, api + "/gpus", USER, NONE, ctx -> c.nodes().gpus(ctx)));

    String ag = api + "/agent";
    t.add(new Route(POST, ag + "/register", ANYONE, JSON, ctx -> c.nodes().register(ctx)));
    t.add(new Route(POST, ag + "/heartbeat", NODE, JSON, ctx -> c.nodes().heartbeat(ctx)));
    t.add(new Route(POST, ag + "/leave", NODE, NONE, ctx -> c.nodes().leave(ctx)));
    t.add(new Route(GET, ag + "/work", NODE, NONE, ctx -> c.jobs().work(ctx)));
    t.add(new Route(POST, ag + "/reports", NODE, JSON, ctx -> c.jobs().reportAll(ctx)));
    String run = ag + "/runs/{runId}";
    t.add(new Route(POST, run + "/status", NODE, JSON, ctx -> c.jobs().report(ctx)));
    t.add(new Route(GET, run + "/logs", NODE, NONE, ctx -> c.jobs().logSize(ctx)));
    t.add(new Route(POST, run + "/logs", NODE, RAW, ctx -> c.jobs().appendLog(ctx)));

    String jobs = api + "/jobs";
    t.add(new Route(GET, jobs, USER, NONE, ctx -> c.jobs().list(ctx)));
    t.add(new Route(POST, jobs, USER, JSON, ctx -> c.jobs().submit(ctx)));
    t.add(new Route(POST, jobs + "/batch", USER, JSON, ctx -> c.jobs().submitBatch(ctx)));
    t.add(new Route(GET, jobs + "/{id}", USER, NONE, ctx -> c.jobs().get(ctx)));
    t.add(new Route(POST, jobs + "/{id}/cancel", USER, NONE, ctx -> c.jobs().cancel(ctx)));
    t.add(
        new Route(
            GET, jobs + "/{id}/wait", USER, NONE, streams.around(ctx -> c.jobs().await(ctx))));
    t.add(
        new Route(
            GET,
            jobs + "/{id}/runs/{run}/logs",
            USER,
            NONE,
            streams.around(ctx -> c.jobs().logs(ctx))));
    t.add(
        new Route(
            GET,
            jobs + "/{id}/runs/{run}/log-events",
            USER,
            NONE,
            streams.around(ctx -> c.web().logs().stream(ctx))));

    String in = api + "/instances";
    t.add(new Route(GET, in, USER, NONE, ctx -> c.instances().list(ctx)));
    t.add(new Route(POST, in, USER, JSON, ctx -> c.instances().create(ctx)));
    t.add(new Route(GET, in + "/{name}", USER, NONE, ctx -> c.instances().get(ctx)));
    t.add(new Route(POST, in + "/{name}/stop", USER, NONE, ctx -> c.instances().stop(ctx)));
    t.add(new Route(POST, in + "/{name}/start", USER, NONE, ctx -> c.instances().start(ctx)));
    t.add(
        new Route(
            GET, in + "/{name}/logs", USER, NONE, streams.around(ctx -> c.instances().logs(ctx))));
    t.add(new Route(DELETE, in + "/{name}", USER, NONE, ctx -> c.instances().delete(ctx)));
    String keys = api + "/ssh-keys";
    t.add(new Route(GET, keys, USER, NONE, ctx -> c.sshKeys().list(ctx)));
    t.add(new Route(POST, keys, USER, JSON, ctx -> c.sshKeys().add(ctx)));
    t.add(new Route(DELETE, keys + "/{id}", USER, NONE, ctx -> c.sshKeys().remove(ctx)));
    t.add(
        new Route(
            POST, api + "/instances/{name}/extend", USER, OPTIONAL, ctx -> c.idle().extend(ctx)));

    String ad = api + "/admin";
    t.add(new Route(GET, ad + "/join-tokens", ADMIN, NONE, ctx -> c.nodes().listTokens(ctx)));
    t.add(new Route(POST, ad + "/join-tokens", ADMIN, OPTIONAL, ctx -> c.nodes().createToken(ctx)));
    t.add(
        new Route(
            POST, ad + "/join-tokens/{id}/revoke", ADMIN, NONE, ctx -> c.nodes().revokeToken(ctx)));
    t.add(
        new Route(POST, ad + "/nodes/{name}/{action}", ADMIN, NONE, ctx -> c.nodes().change(ctx)));

    t.add(new Route(GET, ad + "/users", ADMIN, NONE, ctx -> c.users().list(ctx)));
    t.add(new Route(POST, ad + "/users", ADMIN, JSON, ctx -> c.users().create(ctx)));
    t.add(
        new Route(
            PUT,
            ad + "/users/{email}/password",
            ADMIN,
            OPTIONAL,
            ctx -> c.users().resetPassword(ctx)));
    t.add(
        new Route(POST, ad + "/users/{email}/{action}", ADMIN, NONE, ctx -> c.users().change(ctx)));
    String aqr = ad + "/quota-requests";
    t.add(new Route(GET, aqr, ADMIN, NONE, ctx -> c.quotas().listAllRequests(ctx)));
    t.add(new Route(POST, aqr + "/{id}/approve", ADMIN, OPTIONAL, ctx -> c.quotas().approve(ctx)));
    t.add(new Route(POST, aqr + "/{id}/reject", ADMIN, OPTIONAL, ctx -> c.quotas().reject(ctx)));
    t.add(new Route(GET, ad + "/quotas", ADMIN, NONE, ctx -> c.quotas().listAllQuotas(ctx)));
    t.add(new Route(POST, ad + "/quotas", ADMIN, JSON, ctx -> c.quotas().grant(ctx)));
    t.add(new Route(POST, ad + "/quotas/{id}/revoke", ADMIN, NONE, ctx -> c.quotas().revoke(ctx)));
    t.add(new Route(GET, ad + "/backup", ADMIN, NONE, ctx -> c.backup().download(ctx)));
    t.add(
        new Route(
            GET,
            ad + "/audit",
            ADMIN,
            NONE,
            ctx -> ctx.json(c.audit().recent(Check.queryInt(ctx, "limit", 100, 1, 1000)))));
    return List.copyOf(t);
  }

  public static void register(
      RoutesConfig r, Auth auth, Bodies bodies, Controllers c, List<Route> table) {
    // who is asking first: a user's token on an agent route is refused as such, not as an agent
    // speaking no protocol
    r.before(SecurityHeaders::apply);
    r.beforeMatched(auth::check);
    r.beforeMatched("/api/v1/agent/*", ctx -> c.nodes().checkProtocol(ctx));
    r.before("/api/v1/*", ctx -> c.health().refuseChangesWhenFailing(ctx));
    for (Route route : table) {
      Handler handler = route.handler();
      if (route.body() == NONE) {
        Handler inner = handler;
        handler =
            ctx -> {
              bodies.none(ctx);
              inner.handle(ctx);
            };
      }
      r.addHttpHandler(route.method(), route.path(), handler, route.role());
      if (route.method() == GET) {
        // One authorization for both: the HEAD route carries the GET route's role.
        r.addHttpHandler(HEAD, route.path(), handler, route.role());
      }
    }
  }
}
