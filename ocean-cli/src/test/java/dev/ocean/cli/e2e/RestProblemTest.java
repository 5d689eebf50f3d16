package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.Problem;
import dev.ocean.common.files.StorageMarker;
import dev.ocean.common.json.Json;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad requests sent straight to the REST API get a 4xx problem+json that names the field. */
class RestProblemTest {
  private static final ObjectMapper JSON = Json.newMapper();

  @TempDir java.nio.file.Path dir;
  TestCluster cluster;
  String token;
  final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir);
    token = cluster.user("ada@example.com").token();
  }

  @AfterEach
  void stop() {
    http.close();
    cluster.close();
  }

  /** The answer to a request, checked to be a problem document with that status. */
  private Problem problem(HttpRequest.Builder request, int status) throws Exception {
    HttpResponse<String> res =
        http.send(
            request.header("Authorization", "Bearer " + token).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(status, res.statusCode(), res.body());
    assertTrue(
        res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
        res.headers().toString());
    Problem p = JSON.readValue(res.body(), Problem.class);
    assertEquals(status, p.status());
    assertTrue(p.detail() != null && !p.detail().isBlank(), res.body());
    assertTrue(!p.detail().contains("\n") && !p.detail().contains("Exception"), p.detail());
    return p;
  }

  private Problem post(String path, String body, int status) throws Exception {
    return problem(
        HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1" + path))
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body)),
        status);
  }

  @Test
  void brokenJsonIsA400() throws Exception {
    Problem p = post("/volumes", "{\"name\": \"data\", \"sizeGib\": ", 400);
    assertTrue(p.detail().contains("not valid JSON"), p.detail());
    post("/volumes", "", 400);
    post("/volumes", "null", 400);
    assertNull(post("/volumes", "[1, 2]", 400).field());
  }

  @Test
  void wrongTypedFieldsAreNamed() throws Exception {
    assertEquals(
        "sizeGib", post("/volumes", "{\"name\":\"data\",\"sizeGib\":\"big\"}", 400).field());
    assertEquals("sizeGib", post("/volumes", "{\"name\":\"data\",\"sizeGib\":[1]}", 400).field());
    assertEquals("name", post("/volumes", "{\"name\":{\"a\":1},\"sizeGib\":1}", 400).field());
    assertEquals(
        "count",
        post(
                "/quota-requests",
                "{\"machineType\":\"g1.small\",\"count\":\"two\",\"days\":1,\"reason\":\"x\"}",
                400)
            .field());
  }

  @Test
  void invalidValuesAreNamed() throws Exception {
    assertEquals("name", post("/volumes", "{\"name\":\"../x\",\"sizeGib\":1}", 400).field());
    assertEquals("sizeGib", post("/volumes", "{\"name\":\"data\",\"sizeGib\":-5}", 400).field());
    assertEquals("sizeGib", post("/volumes", "{\"name\":\"data\"}", 400).field());
    assertEquals(
        "machineType",
        post(
                "/quota-requests",
                "{\"machineType\":\"nope\",\"count\":1,\"days\":1,\"reason\":\"x\"}",
                404)
            .field());
    assertEquals(
        "password",
        post("/auth/signup", "{\"email\":\"x@example.com\",\"password\":\"weak\"}", 400).field());
    assertEquals(
        "email",
        post("/auth/signup", "{\"email\":\"not-an-email\",\"password\":\"Str0ng!pw\"}", 400)
            .field());
    assertEquals(List.of(), volumesIn(cluster.storageRoot()));
  }

  @Test
  void hugeBodyIsA413() throws Exception {
    String huge =
        "{\"name\":\"data\",\"sizeGib\":1,\"pad\":\"" + "x".repeat(2 * 1024 * 1024) + "\"}";
    Problem p = post("/volumes", huge, 413);
    assertTrue(p.detail().contains("too large"), p.detail());
    assertEquals(List.of(), volumesIn(cluster.storageRoot()));
  }

  @Test
  void unknownPathsAndMethodsAreProblems() throws Exception {
    Problem unknown =
        problem(HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/nope")), 404);
    assertTrue(unknown.detail().contains("GET /api/v1/nope"), unknown.detail());
    Problem p =
        problem(
            HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/volumes/zzz")).DELETE(),
            404);
    assertTrue(p.detail().contains("no volume named zzz"), p.detail());
    assertEquals("id", post("/quota-requests/abc/cancel", "{}", 400).field());
  }

  @Test
  void requestsWithoutATokenAreA401() throws IOException, InterruptedException {
    HttpResponse<String> res =
        http.send(
            HttpRequest.newBuilder(URI.create(cluster.url() + "/api/v1/volumes")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(401, res.statusCode());
    assertTrue(
        res.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"));
  }

  /** What the storage root holds besides the server's marker: volumes and their folders. */
  private static List<Path> volumesIn(Path root) throws IOException {
    try (var files = Files.list(root)) {
      return files.filter(f -> !f.getFileName().toString().equals(StorageMarker.FILE)).toList();
    }
  }
}
