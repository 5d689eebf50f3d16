package dev.ocean.server.autostop;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.Quota;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The token a run gets in {@code OCEAN_TOKEN} works like its owner's login for the owner's things,
 * never for account changes or admin routes (even when the owner is an admin), and dies when the
 * run is cancelled.
 */
class WorkloadTokenScopeTest {
  @TempDir Path dir;
  private IdleCluster c;

  @BeforeEach
  void start() throws Exception {
    c = new IdleCluster(dir);
  }

  @AfterEach
  void stop() {
    c.close();
  }

  @Test
  void anAdminsRunCannotUseAdminRoutesOrTheAccountAndItsTokenDiesOnCancel() throws Exception {
    c.admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "g1", 1, 1), Quota.class);
    int logins = loginTokens();
    Job job =
        c.admin.post(
            "/jobs",
            new Job.Submit(
                "work", "g1", "busybox", null, List.of("sleep", "inf"), Map.of(), 1, 1, null, null),
            Job.class);
    Assignment run = c.startNext(job.id());
    String token = run.env().get("OCEAN_TOKEN");

    assertEquals(200, call("GET", "/api/v1/jobs/" + job.id(), token), "its owner's job");
    assertEquals(200, call("GET", "/api/v1/users/me", token));
    assertEquals(403, call("GET", "/api/v1/admin/users", token), "no admin routes");
    assertEquals(403, call("GET", "/api/v1/tokens", token), "no login tokens");
    assertEquals(403, call("POST", "/api/v1/auth/logout", token));
    assertEquals(403, call("POST", "/api/v1/users/me/password", token));
    assertEquals(403, call("POST", "/api/v1/ssh-keys", token), "no planted login keys");
    assertEquals(403, call("DELETE", "/api/v1/ssh-keys/1", token), "no removed login keys");
    assertEquals(logins, loginTokens(), "the run's token is no login token (not in token list)");

    c.admin.post("/jobs/" + job.id() + "/cancel", null, Job.class);
    assertEquals(401, call("GET", "/api/v1/jobs/" + job.id(), token), "dead once cancelled");
    c.server.sweepNow();
    assertEquals(
        Integer.valueOf(1),
        c.jdbi.<Integer, RuntimeException>withHandle(
            h ->
                h.createQuery(
                        "SELECT COUNT(*) FROM workload_tokens WHERE job_id = ? AND revoked_at IS"
                            + " NOT NULL")
                    .bind(0, job.id())
                    .mapTo(Integer.class)
                    .one()),
        "and marked revoked");
  }

  private int loginTokens() {
    return c.jdbi.<Integer, RuntimeException>withHandle(
        h -> h.createQuery("SELECT COUNT(*) FROM api_tokens").mapTo(Integer.class).one());
  }

  private int call(String method, String path, String token) throws Exception {
    return HttpClient.newHttpClient()
        .send(
            HttpRequest.newBuilder(URI.create(c.server.url() + path))
                .header("Authorization", "Bearer " + token)
                .method(method, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.ofString())
        .statusCode();
  }
}
