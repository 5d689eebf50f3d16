package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Quota;
import dev.ocean.common.api.User;
import dev.ocean.common.api.job.Job;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Pollers of {@code GET /jobs} and {@code GET /jobs/{id}} revalidate with {@code If-None-Match}:
 * 304 without a body while their answer is unchanged, 200 with the new answer after any change (a
 * submission, an agent's report, a cancel), never a 304 for a stale answer; filters have their own
 * tags. Through the real server, with the agent played by hand.
 */
class JobListRevalidationTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private record Answer(int status, String etag, String cacheControl, String body) {}

  private Answer get(ScriptedCluster c, String token, String path, String ifNoneMatch)
      throws Exception {
    var b =
        HttpRequest.newBuilder(URI.create(c.server.url() + "/api/v1" + path))
            .header("Authorization", "Bearer " + token);
    if (ifNoneMatch != null) {
      b.header("If-None-Match", ifNoneMatch);
    }
    HttpResponse<String> r = http.send(b.build(), HttpResponse.BodyHandlers.ofString());
    return new Answer(
        r.statusCode(),
        r.headers().firstValue("ETag").orElse(null),
        r.headers().firstValue("Cache-Control").orElse(null),
        r.body());
  }

  /** A poller's second look: 304 with no body when {@code first} is still the answer. */
  private void unchanged(ScriptedCluster c, String token, String path, Answer first)
      throws Exception {
    Answer again = get(c, token, path, first.etag());
    assertEquals(304, again.status(), path + " did not change");
    assertEquals("", again.body());
    assertEquals(first.etag(), again.etag());
    assertEquals("private, no-cache", again.cacheControl());
  }

  /** A poller's look after a change: the new answer, with a new tag. */
  private Answer changed(ScriptedCluster c, String token, String path, Answer before)
      throws Exception {
    Answer now = get(c, token, path, before.etag());
    assertEquals(200, now.status(), path + " changed: " + now.body());
    assertNotEquals(before.body(), now.body());
    assertNotEquals(before.etag(), now.etag());
    assertEquals(get(c, token, path, null).body(), now.body());
    return now;
  }

  @Test
  void aPollerGets304UntilASubmitAReportOrACancelChangesItsList() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      String t = c.adminToken;
      Job one = c.submit("first-job", null, 1);
      var run = c.next(); // assigned to n1: nothing moves until the agent reports
      Answer list = get(c, t, "/jobs", null);
      assertEquals(200, list.status());
      assertNotNull(list.etag());
      assertEquals("private, no-cache", list.cacheControl());
      assertTrue(list.body().contains("first-job"), list.body());
      unchanged(c, t, "/jobs", list);
      // a cache may send several tags, or the tag marked weak
      assertEquals(304, get(c, t, "/jobs", "\"other\", W/" + list.etag()).status());
      assertEquals(200, get(c, t, "/jobs", "\"other\"").status());
      Answer job = get(c, t, "/jobs/" + one.id(), null);
      unchanged(c, t, "/jobs/" + one.id(), job);

      c.report(run.runId(), "running", null);
      list = changed(c, t, "/jobs", list);
      assertTrue(list.body().contains("\"running\""), list.body());
      job = changed(c, t, "/jobs/" + one.id(), job);
      unchanged(c, t, "/jobs", list);

      Job two = c.submit("second-job", null, 1);
      c.next(); // its run is assigned too
      list = changed(c, t, "/jobs", list);
      assertTrue(list.body().contains("second-job"), list.body());
      unchanged(c, t, "/jobs", list);

      c.admin.post("/jobs/" + two.id() + "/cancel", null, Job.class);
      list = changed(c, t, "/jobs", list);
      assertFalse(list.body().contains("second-job"), "active jobs only: " + list.body());

      c.report(run.runId(), "succeeded", 0);
      list = changed(c, t, "/jobs", list);
      assertEquals("[]", list.body());
      job = changed(c, t, "/jobs/" + one.id(), job);
      assertTrue(job.body().contains("\"succeeded\""), job.body());
      unchanged(c, t, "/jobs/" + one.id(), job);
    }
  }

  @Test
  void filtersHaveTheirOwnTagsAndAnotherUsersJobNeverMakesAStale304() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      String t = c.adminToken;
      c.admin.post(
          "/admin/users", new User.Create("bo@example.com", "Bo-pass-123!", false), Object.class);
      c.admin.post("/admin/quotas", new Quota.Grant("bo@example.com", "g1", 2, 1), Quota.class);
      String bo =
          c.admin
              .post(
                  "/auth/login",
                  new dev.ocean.common.api.Credentials("bo@example.com", "Bo-pass-123!"),
                  dev.ocean.common.api.Session.class)
              .token();
      c.submit("done-job", null, 1);
      var a = c.next();
      c.report(a.runId(), "running", null);
      c.report(a.runId(), "succeeded", 0);

      // the same empty or equal answers, yet each filter its own tag
      List<String> filters =
          List.of("/jobs", "/jobs?all=true", "/jobs?state=succeeded", "/jobs?state=failed");
      Map<String, Answer> seen = new java.util.HashMap<>();
      for (String f : filters) {
        seen.put(f, get(c, t, f, null));
      }
      assertEquals(seen.get("/jobs").body(), seen.get("/jobs?state=failed").body());
      assertEquals(seen.get("/jobs?all=true").body(), seen.get("/jobs?state=succeeded").body());
      assertEquals(4, seen.values().stream().map(Answer::etag).distinct().count(), "" + seen);
      // a tag from one filter does not answer another
      Answer cross = get(c, t, "/jobs?state=failed", seen.get("/jobs").etag());
      assertEquals(200, cross.status());
      for (String f : filters) {
        unchanged(c, t, f, seen.get(f));
      }

      // Bo's own list does not hold the admin's jobs; the admin's view of everyone's does
      Answer mine = get(c, bo, "/jobs?all=true", null);
      Answer everyone = get(c, t, "/jobs?all=true&everyone=true", null);
      assertTrue(everyone.body().contains("done-job"), everyone.body());
      c.submit("admins-next", null, 1);
      String adminsNext = c.next().runId(); // assigned: the scheduler changes nothing meanwhile
      unchanged(c, bo, "/jobs?all=true", mine);
      everyone = changed(c, t, "/jobs?all=true&everyone=true", everyone);

      // Bo's job is in the admin's view of everyone's and in Bo's own, not in the admin's own
      Answer adminsOwn = get(c, t, "/jobs?all=true", null);
      dev.ocean.common.client.OceanClient.forUser(c.server.url(), bo)
          .post(
              "/jobs",
              new Job.Submit(
                  "bos-job", "g1", "busybox", null, List.of("true"), Map.of(), 1, 1, null, null),
              Job.class);
      // Bo's run, not the admin's again: a poll that names no known run hands that one out too,
      // and the list below would race the scheduler's placement of Bo's job
      assertEquals("bos-job", jobName(c, c.poll(adminsNext).start().getFirst().jobId()));
      mine = changed(c, bo, "/jobs?all=true", mine);
      assertTrue(mine.body().contains("bos-job"), mine.body());
      everyone = changed(c, t, "/jobs?all=true&everyone=true", everyone);
      assertTrue(everyone.body().contains("bos-job"), everyone.body());
      Answer own = get(c, t, "/jobs?all=true", adminsOwn.etag());
      assertFalse(own.body().contains("bos-job"), own.body());
      // either answer is right here, as long as a 304 means the answer really is the same
      assertEquals(
          own.status() == 304, get(c, t, "/jobs?all=true", null).body().equals(adminsOwn.body()));
    }
  }

  private static String jobName(ScriptedCluster c, long jobId) {
    return c.job(jobId).name();
  }
}
