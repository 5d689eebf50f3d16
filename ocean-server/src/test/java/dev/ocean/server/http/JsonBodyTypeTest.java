package dev.ocean.server.http;

import static dev.ocean.server.http.Harness.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * JSON routes take JSON only (a text/plain body is a browser's cross-site "simple request"), and a
 * body that does not parse is answered in a plain sentence, not the parser's internals (QA F27).
 */
class JsonBodyTypeTest {
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

  private HttpResponse<String> post(String path, String contentType, String body) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(h.url() + path))
            .header("Content-Type", contentType)
            .header("Authorization", "Bearer " + admin)
            .POST(HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aJsonBodySentAsTextPlainIsRefusedWith415AndChangesNothing() throws Exception {
    long before = h.count("volumes");
    var p = problem(post("/api/v1/volumes", "text/plain", "{\"name\":\"v1\",\"sizeGb\":1}"), 415);
    assertEquals(
        "the request body must be sent as Content-Type: application/json, not text/plain",
        p.get("detail").asText());
    assertEquals(before, h.count("volumes"));
    problem(
        post(
            "/api/v1/auth/login",
            "application/x-www-form-urlencoded",
            "{\"email\":\"" + Harness.ADMIN + "\",\"password\":\"" + Harness.PASSWORD + "\"}"),
        415);
  }

  private HttpResponse<String> untyped(String method, String path, String body) throws Exception {
    HttpRequest r =
        HttpRequest.newBuilder(URI.create(h.url() + path))
            .header("Authorization", "Bearer " + admin)
            .method(method, HttpRequest.BodyPublishers.ofString(body))
            .build();
    return HttpClient.newHttpClient().send(r, HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void aJsonBodyThatDeclaresNoTypeIsRefusedWith415OnEveryJsonRouteAndChangesNothing()
      throws Exception {
    long before = h.count("volumes");
    var created =
        problem(untyped("POST", "/api/v1/volumes", "{\"name\":\"v1\",\"sizeGib\":1}"), 415);
    assertEquals(
        "the request body must be sent as Content-Type: application/json; it declared no type",
        created.get("detail").asText());
    assertEquals(before, h.count("volumes"));
    problem(untyped("POST", "/api/v1/jobs", "{\"name\":\"x\"}"), 415);
    problem(untyped("POST", "/api/v1/quota-requests", "{}"), 415);
    problem(
        untyped(
            "POST",
            "/api/v1/auth/login",
            "{\"email\":\"" + Harness.ADMIN + "\",\"password\":\"" + Harness.PASSWORD + "\"}"),
        415);

    var empty = problem(untyped("POST", "/api/v1/volumes", ""), 400);
    assertTrue(empty.get("detail").asText().contains("needs a JSON body"), empty.toString());
  }

  @Test
  void aJobBatchSentAsTextPlainIsRefusedWith415() throws Exception {
    String batch =
        "{\"jobs\":[{\"name\":\"x\",\"machineType\":\"nope\",\"image\":\"nope\","
            + "\"command\":[\"true\"]}]}";
    problem(post("/api/v1/jobs/batch", "text/plain", batch), 415);
    problem(post("/api/v1/jobs/batch", "application/x-www-form-urlencoded", batch), 415);
    HttpRequest none =
        HttpRequest.newBuilder(URI.create(h.url() + "/api/v1/jobs/batch"))
            .header("Authorization", "Bearer " + admin)
            .POST(HttpRequest.BodyPublishers.ofString(batch))
            .build();
    var untyped =
        problem(HttpClient.newHttpClient().send(none, HttpResponse.BodyHandlers.ofString()), 415);
    assertTrue(untyped.get("detail").asText().contains("declared no type"), untyped.toString());
  }

  @Test
  void aMisspeltJobFieldIsRefusedNamingItNotIgnored() throws Exception {
    long before = h.count("jobs");
    String job =
        "{\"name\":\"x\",\"machineType\":\"nope\",\"image\":\"nope\","
            + "\"command\":[\"true\"],\"retires\":3}";

    var inBatch =
        problem(post("/api/v1/jobs/batch", "application/json", "{\"jobs\":[" + job + "]}"), 400);
    var single = problem(post("/api/v1/jobs", "application/json", job), 400);
    var beside =
        problem(post("/api/v1/jobs/batch", "application/json", "{\"jobs\":[],\"x\":1}"), 400);

    assertEquals("jobs[0].retires", inBatch.get("field").asText());
    assertTrue(
        inBatch
            .get("detail")
            .asText()
            .startsWith("unknown field 'jobs[0].retires'; the fields are "),
        inBatch.toString());
    assertTrue(inBatch.get("detail").asText().contains("retries"), inBatch.toString());
    assertEquals("retires", single.get("field").asText());
    assertEquals("x", beside.get("field").asText());
    assertEquals(before, h.count("jobs"));
  }

  @Test
  void jsonWithACharsetIsStillJson() throws Exception {
    var p = problem(post("/api/v1/volumes", "application/json; charset=utf-8", "{}"), 400);
    assertEquals(400, p.get("status").asInt());
  }

  @Test
  void aBodyThatIsNotJsonIsAPlainSentenceWithItsPlace() throws Exception {
    var p = problem(post("/api/v1/volumes", "application/json", "{"), 400);
    assertEquals("the request body is not valid JSON (line 1, column 2)", p.get("detail").asText());
  }
}
