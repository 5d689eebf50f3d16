package dev.ocean.server.http;

import static dev.ocean.server.user.Role.ADMIN;
import static dev.ocean.server.user.Role.ANYONE;
import static dev.ocean.server.user.Role.NODE;
import static dev.ocean.server.user.Role.USER;

import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.backup.BackupController;
import dev.ocean.server.catalog.CatalogController;
import dev.ocean.server.health.HealthController;
import dev.ocean.server.job.JobController;
import dev.ocean.server.metrics.ClusterMetrics;
import dev.ocean.server.node.NodeController;
import dev.ocean.server.quota.QuotaController;
import dev.ocean.server.user.UserController;
import dev.ocean.server.volume.VolumeController;
import io.javalin.config.RoutesConfig;

/** Every route of the REST API, in one place, with the role each needs. */
public final class Routes {
  private Routes() {}

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
      BackupController backup) {}

  public static void register(RoutesConfig r, Auth auth, Controllers c) {
    String api = "/api/v1";
    r.beforeMatched(api + "/agent/*", c.nodes()::checkProtocol);
    r.beforeMatched(auth::check);
    r.before(api + "/*", c.health()::refuseChangesWhenFailing);

    r.get("/metrics", c.metrics()::serve, ANYONE);

    r.get(api + "/health", c.health()::health, ANYONE);

    r.post(api + "/auth/signup", c.users()::signup, ANYONE);
    r.post(api + "/auth/login", c.users()::login, ANYONE);
    r.post(api + "/auth/logout", c.users()::logout, USER);
    r.get(api + "/users/me", c.users()::me, USER);

    r.get(api + "/machine-types", c.catalog()::listMachineTypes, USER);
    r.post(api + "/machine-types", c.catalog()::createMachineType, ADMIN);
    r.patch(api + "/machine-types/{name}", c.catalog()::updateMachineType, ADMIN);
    r.delete(api + "/machine-types/{name}", c.catalog()::deleteMachineType, ADMIN);
    r.get(api + "/images", c.catalog()::listImages, USER);
    r.post(api + "/images", c.catalog()::addImage, ADMIN);
    r.patch(api + "/images/{name}", c.catalog()::updateImage, ADMIN);
    r.delete(api + "/images/{name}", c.catalog()::removeImage, ADMIN);

    r.get(api + "/quota-requests", c.quotas()::listRequests, USER);
    r.post(api + "/quota-requests", c.quotas()::createRequest, USER);
    r.post(api + "/quota-requests/{id}/cancel", c.quotas()::cancelRequest, USER);
    r.get(api + "/quotas", c.quotas()::listQuotas, USER);

    r.get(api + "/volumes", c.volumes()::list, USER);
    r.post(api + "/volumes", c.volumes()::create, USER);
    r.delete(api + "/volumes/{name}", c.volumes()::delete, USER);

    r.get(api + "/nodes", c.nodes()::list, USER);
    r.get(api + "/nodes/{name}", c.nodes()::get, USER);
    r.get(api + "/nodes/{name}/metrics", c.nodes()::history, USER);
    r.get(api + "/gpus", c.nodes()::gpus, USER);

    r.post(api + "/agent/register", c.nodes()::register, ANYONE);
    r.post(api + "/agent/heartbeat", c.nodes()::heartbeat, NODE);
    r.post(api + "/agent/leave", c.nodes()::leave, NODE);
    r.get(api + "/agent/work", c.jobs()::work, NODE);
    r.post(api + "/agent/runs/{runId}/status", c.jobs()::report, NODE);
    r.get(api + "/agent/runs/{runId}/logs", c.jobs()::logSize, NODE);
    r.post(api + "/agent/runs/{runId}/logs", c.jobs()::appendLog, NODE);

    r.get(api + "/jobs", c.jobs()::list, USER);
    r.post(api + "/jobs", c.jobs()::submit, USER);
    r.get(api + "/jobs/{id}", c.jobs()::get, USER);
    r.post(api + "/jobs/{id}/cancel", c.jobs()::cancel, USER);
    r.get(api + "/jobs/{id}/wait", c.jobs()::await, USER);
    r.get(api + "/jobs/{id}/runs/{run}/logs", c.jobs()::logs, USER);

    r.get(api + "/admin/join-tokens", c.nodes()::listTokens, ADMIN);
    r.post(api + "/admin/join-tokens", c.nodes()::createToken, ADMIN);
    r.post(api + "/admin/join-tokens/{id}/revoke", c.nodes()::revokeToken, ADMIN);
    r.post(api + "/admin/nodes/{name}/{action}", c.nodes()::change, ADMIN);

    r.get(api + "/admin/users", c.users()::list, ADMIN);
    r.post(api + "/admin/users/{email}/{action}", c.users()::change, ADMIN);
    r.get(api + "/admin/quota-requests", c.quotas()::listAllRequests, ADMIN);
    r.post(api + "/admin/quota-requests/{id}/approve", c.quotas()::approve, ADMIN);
    r.post(api + "/admin/quota-requests/{id}/reject", c.quotas()::reject, ADMIN);
    r.get(api + "/admin/quotas", c.quotas()::listAllQuotas, ADMIN);
    r.post(api + "/admin/quotas", c.quotas()::grant, ADMIN);
    r.post(api + "/admin/quotas/{id}/revoke", c.quotas()::revoke, ADMIN);
    r.get(api + "/admin/backup", c.backup()::download, ADMIN);
    r.get(
        api + "/admin/audit",
        ctx ->
            ctx.json(
                c.audit().recent(ctx.queryParamAsClass("limit", Integer.class).getOrDefault(100))),
        ADMIN);
  }
}
