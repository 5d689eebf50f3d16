package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.json.Json;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The web UI's page, assets, security headers, cookie session and CSRF protection. */
class WebSessionTest {
  static final ObjectMapper JSON = Json.newMapper();
  static final String ADMIN = "admin@example.com";
  static final String PASSWORD = "Admin123!x";

  @TempDir Path dir;
  OceanServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  @BeforeEach
  void start() throws Exception {
    server =
        OceanServer.start(
            new ServerConfig(dir)
                .port(0)
                .host("127.0.0.1")
                .bcryptCost(4)
                .adminEmail(ADMIN)
                .adminPassword(PASSWORD),
            new PrintStream(PrintStream.nullOutputStream()));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  HttpResponse<String> send(String method, String path, Map<String, String> headers, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(server.url() + path))
            .timeout(Duration.ofSeconds(20))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    headers.forEach(b::header);
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Logs in through the web session route; returns the cookies it set, by name. */
  Map<String, String> login() throws Exception {
    HttpResponse<String> r =
        send(
            "POST",
            "/api/v1/session",
            Map.of(),
            "{\"email\":\"" + ADMIN + "\",\"password\":\"" + PASSWORD + "\"}");
    assertEquals(200, r.statusCode(), r.body());
    assertFalse(r.body().contains("oc_"), "the session token never reaches the page: " + r.body());
    List<String> set = r.headers().allValues("Set-Cookie");
    Map<String, String> cookies = new HashMap<>();
    for (String c : set) {
      String pair = c.split(";", 2)[0];
      cookies.put(pair.substring(0, pair.indexOf('=')), pair.substring(pair.indexOf('=') + 1));
      if (c.startsWith("ocean_session=")) {
        assertTrue(c.contains("HttpOnly"), c);
        assertTrue(c.contains("SameSite=Strict"), c);
        assertTrue(c.contains("Path=/"), c);
      } else {
        assertFalse(c.contains("HttpOnly"), "the page reads the CSRF cookie: " + c);
      }
    }
    assertTrue(cookies.containsKey("ocean_session") && cookies.containsKey("ocean_csrf"), set + "");
    return cookies;
  }

  static String cookieHeader(Map<String, String> cookies) {
    return "ocean_session="
        + cookies.get("ocean_session")
        + "; ocean_csrf="
        + cookies.get("ocean_csrf");
  }

  @Test
  void thePageIsServedWithSecurityHeadersAndRevalidates() throws Exception {
    HttpResponse<String> page = send("GET", "/", Map.of(), null);
    assertEquals(200, page.statusCode());
    assertTrue(page.headers().firstValue("Content-Type").orElse("").startsWith("text/html"));
    String csp = page.headers().firstValue("Content-Security-Policy").orElse("");
    assertTrue(csp.contains("default-src 'self'") && csp.contains("frame-ancestors 'none'"), csp);
    assertFalse(csp.contains("unsafe-inline"), csp);
    assertEquals("nosniff", page.headers().firstValue("X-Content-Type-Options").orElse(""));
    assertEquals("no-referrer", page.headers().firstValue("Referrer-Policy").orElse(""));
    assertFalse(page.body().contains("<script>"), "no inline script: " + page.body());
    String etag = page.headers().firstValue("ETag").orElseThrow();
    assertEquals(304, send("GET", "/", Map.of("If-None-Match", etag), null).statusCode());

    HttpResponse<String> app = send("GET", "/assets/app.js", Map.of(), null);
    assertEquals(200, app.statusCode());
    assertTrue(app.headers().firstValue("Content-Type").orElse("").startsWith("text/javascript"));
    HttpResponse<String> chart = send("GET", "/assets/vendor/uplot/uPlot.esm.js", Map.of(), null);
    assertEquals(200, chart.statusCode());
    assertTrue(chart.headers().firstValue("Cache-Control").orElse("").contains("immutable"));
    HttpResponse<String> css = send("GET", "/assets/vendor/uplot/uPlot.min.css", Map.of(), null);
    assertTrue(css.headers().firstValue("Content-Type").orElse("").startsWith("text/css"));
  }

  @Test
  void unknownAssetsAndApiPathsStayProblems() throws Exception {
    for (String path :
        List.of("/assets/nope.js", "/assets/..%2F..%2Fetc%2Fpasswd", "/api/v1/nope")) {
      HttpResponse<String> r = send("GET", path, Map.of(), null);
      assertEquals(404, r.statusCode(), path);
      assertTrue(
          r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
          path + " " + r.headers());
    }
  }

  @Test
  void aCookieRequestWithoutTheCsrfTokenIsRefusedAndChangesNothing() throws Exception {
    Map<String, String> cookies = login();
    String volume = "{\"name\":\"data\",\"sizeGib\":1}";
    HttpResponse<String> refused =
        send("POST", "/api/v1/volumes", Map.of("Cookie", cookieHeader(cookies)), volume);
    assertEquals(403, refused.statusCode(), refused.body());
    JsonNode problem = JSON.readTree(refused.body());
    assertEquals("X-CSRF-Token", problem.get("field").asText(), refused.body());
    HttpResponse<String> wrong =
        send(
            "POST",
            "/api/v1/volumes",
            Map.of("Cookie", cookieHeader(cookies), "X-CSRF-Token", "guess"),
            volume);
    assertEquals(403, wrong.statusCode(), wrong.body());
    HttpResponse<String> list =
        send("GET", "/api/v1/volumes", Map.of("Cookie", cookieHeader(cookies)), null);
    assertEquals(200, list.statusCode(), list.body());
    assertEquals("[]", list.body(), "the refused requests created nothing");

    HttpResponse<String> ok =
        send(
            "POST",
            "/api/v1/volumes",
            Map.of("Cookie", cookieHeader(cookies), "X-CSRF-Token", cookies.get("ocean_csrf")),
            volume);
    assertEquals(201, ok.statusCode(), ok.body());
  }

  @Test
  void aPlantedCsrfCookieWithAMatchingHeaderDoesNotPassForTheVictimsSession() throws Exception {
    Map<String, String> cookies = login();
    String volume = "{\"name\":\"planted\",\"sizeGib\":1}";
    // one who can plant cookies sets the CSRF cookie and sends the same value in the header
    String planted = "ocean_session=" + cookies.get("ocean_session") + "; ocean_csrf=attacker";
    HttpResponse<String> refused =
        send(
            "POST",
            "/api/v1/volumes",
            Map.of("Cookie", planted, "X-CSRF-Token", "attacker"),
            volume);
    assertEquals(403, refused.statusCode(), refused.body());

    // a page load with that stale cookie gets the session's own token back, and it works
    HttpResponse<String> page = send("GET", "/api/v1/volumes", Map.of("Cookie", planted), null);
    assertEquals("[]", page.body(), "the refused request created nothing");
    String mended =
        page.headers().allValues("Set-Cookie").stream()
            .filter(c -> c.startsWith("ocean_csrf="))
            .map(c -> c.substring("ocean_csrf=".length(), c.indexOf(';')))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no fresh CSRF cookie: " + page.headers()));
    assertEquals(cookies.get("ocean_csrf"), mended, "the session's token is the one login gave");
    HttpResponse<String> ok =
        send(
            "POST",
            "/api/v1/volumes",
            Map.of(
                "Cookie",
                "ocean_session=" + cookies.get("ocean_session") + "; ocean_csrf=" + mended,
                "X-CSRF-Token",
                mended),
            volume);
    assertEquals(201, ok.statusCode(), ok.body());
  }

  @Test
  void bearerTokensNeedNoCsrfTokenAndLogoutEndsOnlyTheCookieSession() throws Exception {
    HttpResponse<String> api =
        send(
            "POST",
            "/api/v1/auth/login",
            Map.of(),
            "{\"email\":\"" + ADMIN + "\",\"password\":\"" + PASSWORD + "\"}");
    String bearer = JSON.readTree(api.body()).get("token").asText();
    HttpResponse<String> created =
        send(
            "POST",
            "/api/v1/volumes",
            Map.of("Authorization", "Bearer " + bearer),
            "{\"name\":\"cli\",\"sizeGib\":1}");
    assertEquals(201, created.statusCode(), created.body());

    Map<String, String> cookies = login();
    HttpResponse<String> me =
        send("GET", "/api/v1/users/me", Map.of("Cookie", cookieHeader(cookies)), null);
    assertEquals(200, me.statusCode(), me.body());
    HttpResponse<String> out =
        send(
            "DELETE",
            "/api/v1/session",
            Map.of("Cookie", cookieHeader(cookies), "X-CSRF-Token", cookies.get("ocean_csrf")),
            null);
    assertEquals(204, out.statusCode(), out.body());
    assertTrue(
        out.headers().allValues("Set-Cookie").stream().allMatch(c -> c.contains("Max-Age=0")));
    assertEquals(
        401,
        send("GET", "/api/v1/users/me", Map.of("Cookie", cookieHeader(cookies)), null).statusCode(),
        "the old cookie no longer works");
    assertEquals(
        200,
        send("GET", "/api/v1/users/me", Map.of("Authorization", "Bearer " + bearer), null)
            .statusCode(),
        "the CLI's token still works");
  }

  @Test
  void theTokenListTellsTheBrowserSessionFromTheCliToken() throws Exception {
    HttpResponse<String> api =
        send(
            "POST",
            "/api/v1/auth/login",
            Map.of(),
            "{\"email\":\"" + ADMIN + "\",\"password\":\"" + PASSWORD + "\"}");
    String bearer = JSON.readTree(api.body()).get("token").asText();
    Map<String, String> cookies = login();

    HttpResponse<String> r =
        send("GET", "/api/v1/tokens", Map.of("Cookie", cookieHeader(cookies)), null);
    assertEquals(200, r.statusCode(), r.body());
    Map<String, Boolean> kinds = new HashMap<>();
    for (JsonNode t : JSON.readTree(r.body())) {
      kinds.put(t.get("kind").asText(), t.get("current").asBoolean());
    }
    assertEquals(Map.of("api", false, "session", true), kinds, r.body());
  }
}
