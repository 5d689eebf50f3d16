package dev.ocean.server.http;

import static dev.ocean.server.http.Harness.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocean.common.api.QuotaRequest;
import dev.ocean.common.api.node.JoinToken;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Every error is problem+json, even those Jetty answers before a route runs. */
class HttpErrorsTest {
  @TempDir Path dir;
  Harness h;
  String admin;

  @BeforeEach
  void start() throws Exception {
    h = new Harness(dir);
    admin = h.login(Harness.ADMIN);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  /** The status line and headers of a raw answer are problem+json with a 4xx status. */
  private static void assertRawProblem(String answer) {
    String head = answer.split("\r\n\r\n", 2)[0];
    String status = head.split(" ", 3)[1];
    assertTrue(status.startsWith("4"), answer);
    assertTrue(head.toLowerCase().contains("content-type: application/problem+json"), answer);
    String body = answer.split("\r\n\r\n", 2)[1];
    assertTrue(body.contains("\"status\":" + status), answer);
    assertTrue(!body.contains("<html"), answer);
  }

  @Test
  void requestsJettyRefusesAreAnsweredAsProblems() throws Exception {
    String host = "Host: 127.0.0.1\r\n";
    assertRawProblem(
        h.raw("DELETE /api/v1/volumes/%00 HTTP/1.1\r\n" + host + "Connection: close\r\n\r\n"));
    assertRawProblem(
        h.raw(
            "GET /api/v1/"
                + "a".repeat(9 * 1024)
                + " HTTP/1.1\r\n"
                + host
                + "Connection: close\r\n\r\n"));
    assertRawProblem(
        h.raw(
            "GET /api/v1/health HTTP/1.1\r\n"
                + host
                + "X-Bad: a\u0000b\r\nConnection: close\r\n\r\n"));
    assertRawProblem(
        h.raw(
            "POST /api/v1/auth/login HTTP/1.1\r\n"
                + host
                + "Content-Length: 2\r\nContent-Length: 3\r\nConnection: close\r\n\r\n{}"));
    assertRawProblem(h.raw("GET /api/v1/../../etc/passwd HTTP/1.1\r\n" + host + "\r\n"));
  }

  @Test
  void anAmbiguousPathOnAKeptAliveConnectionIsAProblemToo() throws Exception {
    for (String method : List.of("DELETE", "GET", "POST", "PATCH")) {
      var r = h.send(method, "/api/v1/images/%00?x=1", admin, null);
      Harness.problem(r, 400);
      // The connection stays usable: a POST is not retried by the client, so it would fail.
      Harness.problem(h.send("POST", "/api/v1/volumes", admin, "{}"), 400);
    }
  }

  @Test
  void theAuditLimitIsChecked() throws Exception {
    for (String bad : List.of("abc", "-1", "0", "1001", "1.5")) {
      JsonNode p = problem(h.send("GET", "/api/v1/admin/audit?limit=" + bad, admin, null), 400);
      assertEquals("limit", p.get("field").asText(), bad);
    }
    var ok = h.send("GET", "/api/v1/admin/audit?limit=1", admin, null);
    assertEquals(200, ok.statusCode());
    assertEquals(1, Harness.JSON.readTree(ok.body()).size(), ok.body());
  }

  @Test
  void aBodyOverOneMebibyteIsA413Problem() throws Exception {
    String big = "{\"name\":\"" + "x".repeat(1024 * 1024) + "\",\"sizeGib\":1}";
    problem(h.send("POST", "/api/v1/volumes", admin, big), 413);
    problem(h.send("POST", "/api/v1/auth/logout", admin, big), 413);
    assertEquals(0, h.count("volumes"));
  }

  @Test
  void aChunkedBodyWithoutALengthIsLimitedToo() throws Exception {
    byte[] big = ("{\"name\":\"" + "x".repeat(2 * 1024 * 1024) + "\",\"sizeGib\":1}").getBytes();
    var request =
        java.net.http.HttpRequest.newBuilder(java.net.URI.create(h.url() + "/api/v1/volumes"))
            .header("Authorization", "Bearer " + admin)
            .header("Content-Type", "application/json")
            .POST(
                java.net.http.HttpRequest.BodyPublishers.ofInputStream(
                    () -> new java.io.ByteArrayInputStream(big)))
            .build();
    var r = h.http.send(request, java.net.http.HttpResponse.BodyHandlers.ofString());
    problem(r, 413);
    assertEquals(0, h.count("volumes"));
  }

  @Test
  void routesThatTakeNoBodyRefuseOneAndChangeNothing() throws Exception {
    String user = h.user("ada@example.com");
    h.client(admin)
        .post(
            "/machine-types",
            new dev.ocean.common.api.MachineType.Create("g1", 1, 1, 0, null, null, null),
            Object.class);
    QuotaRequest r =
        h.client(user)
            .post(
                "/quota-requests",
                new QuotaRequest.Create("g1", 1, 1, "training"),
                QuotaRequest.class);
    JoinToken t =
        h.client(admin).post("/admin/join-tokens", new JoinToken.Create("1h", 10), JoinToken.class);

    problem(
        h.send("POST", "/api/v1/quota-requests/" + r.id() + "/cancel", user, "{\"reason\":\"x\"}"),
        400);
    problem(
        h.send("POST", "/api/v1/admin/join-tokens/" + t.id() + "/revoke", admin, "revoke!"), 400);
    problem(h.send("POST", "/api/v1/auth/logout", user, "{\"all\":true}"), 400);

    assertEquals("pending", h.client(user).get("/quota-requests", QuotaRequest[].class)[0].state());
    assertEquals(200, h.send("GET", "/api/v1/users/me", user, null).statusCode());
    // An empty body, or an empty object from older clients, is no body.
    assertEquals(
        200,
        h.send("POST", "/api/v1/quota-requests/" + r.id() + "/cancel", user, "{}").statusCode());
    assertEquals(204, h.send("POST", "/api/v1/auth/logout", user, null).statusCode());
  }

  @Test
  void headOnAnAdminRouteNeedsAnAdminLikeGet() throws Exception {
    String user = h.user("ada@example.com");
    for (String path : List.of("/api/v1/admin/users", "/api/v1/admin/audit")) {
      assertEquals(403, h.send("GET", path, user, null).statusCode());
      assertEquals(403, h.send("HEAD", path, user, null).statusCode(), path);
      assertEquals(401, h.send("HEAD", path, null, null).statusCode(), path);
      assertEquals(200, h.send("HEAD", path, admin, null).statusCode(), path);
    }
  }
}
