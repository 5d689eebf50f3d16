package dev.ocean.server.http;

import static dev.ocean.server.http.Harness.problem;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocean.common.Version;
import dev.ocean.common.api.node.JoinToken;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request bodies are read strictly; a refused body changes nothing and names its field. */
class StrictInputTest {
  @TempDir Path dir;
  Harness h;
  String admin;

  @BeforeEach
  void start() throws Exception {
    h = new Harness(dir);
    admin = h.login(Harness.ADMIN);
    h.client(admin)
        .post(
            "/machine-types",
            new dev.ocean.common.api.MachineType.Create("g1", 1, 1, 0, null, null, null),
            Object.class);
  }

  @AfterEach
  void stop() {
    h.close();
  }

  private JsonNode refused(String method, String path, String body) throws Exception {
    long volumes = h.count("volumes");
    long types = h.count("machine_types");
    long requests = h.count("quota_requests");
    JsonNode p = problem(h.send(method, path, admin, body), 400);
    assertEquals(volumes, h.count("volumes"), body);
    assertEquals(types, h.count("machine_types"), body);
    assertEquals(requests, h.count("quota_requests"), body);
    return p;
  }

  @Test
  void aValidBodyFollowedByMoreTextIsRefused() throws Exception {
    refused("POST", "/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":1} xyz");
    JsonNode p = refused("POST", "/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":1}{}");
    assertTrue(p.get("detail").asText().contains("nothing after it"), p.toString());
    // a plain sentence with the place, not the parser's own wording
    String detail =
        refused("POST", "/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":1} xyz")
            .get("detail")
            .asText();
    assertEquals("the request body is not valid JSON (line 1, column 29)", detail);
    assertEquals(
        201,
        h.send("POST", "/api/v1/volumes", admin, "{\"name\":\"data\",\"sizeGib\":1} ")
            .statusCode());
  }

  @Test
  void numbersInUrlsAreAsciiDigits() throws Exception {
    // Arabic-Indic digits: Integer.parseInt reads "\u0661\u0660" as 10
    JsonNode p = problem(h.send("GET", "/api/v1/admin/audit?limit=%D9%A1%D9%A0", admin, null), 400);
    assertEquals("limit", p.get("field").asText(), p.toString());
    p = problem(h.send("POST", "/api/v1/tokens/%D9%A1/revoke", admin, ""), 400);
    assertEquals("id", p.get("field").asText(), p.toString());
  }

  @Test
  void numbersAndBooleansAreNotNames() throws Exception {
    for (String name : List.of("true", "1", "1e309", "1.5")) {
      JsonNode p = refused("POST", "/api/v1/volumes", "{\"name\":" + name + ",\"sizeGib\":1}");
      assertEquals("name", p.get("field").asText(), p.toString());
    }
  }

  @Test
  void integerFieldsTakeOnlyIntegers() throws Exception {
    for (String v : List.of("1.5", "\"\"", "\"\\u0000\"", "\"2\"", "true", "1e3")) {
      JsonNode p = refused("POST", "/api/v1/volumes", "{\"name\":\"data\",\"sizeGib\":" + v + "}");
      assertEquals("sizeGib", p.get("field").asText(), v);
      p =
          refused(
              "POST",
              "/api/v1/machine-types",
              "{\"name\":\"g2\",\"cpus\":" + v + ",\"memoryGib\":1,\"gpus\":0}");
      assertEquals("cpus", p.get("field").asText(), v);
      p =
          refused(
              "POST",
              "/api/v1/quota-requests",
              "{\"machineType\":\"g1\",\"count\":1,\"days\":" + v + ",\"reason\":\"r\"}");
      assertEquals("days", p.get("field").asText(), v);
    }
  }

  @Test
  void controlCharactersAreRefusedInEveryTextField() throws Exception {
    JsonNode p =
        refused(
            "POST",
            "/api/v1/quota-requests",
            "{\"machineType\":\"g1\",\"count\":1,\"days\":1,\"reason\":\"a\\u0000b\"}");
    assertEquals("reason", p.get("field").asText());
    assertTrue(p.get("detail").asText().contains("control characters"), p.toString());
    refused(
        "POST",
        "/api/v1/quota-requests",
        "{\"machineType\":\"g1\",\"count\":1,\"days\":1,\"reason\":\"line\\u001b[31m\"}");
    var created =
        h.send(
            "POST",
            "/api/v1/quota-requests",
            admin,
            "{\"machineType\":\"g1\",\"count\":1,\"days\":1,\"reason\":\"ünïcode ok\"}");
    assertEquals(201, created.statusCode());
    long id = Harness.JSON.readTree(created.body()).get("id").asLong();
    JsonNode note =
        refused(
            "POST", "/api/v1/admin/quota-requests/" + id + "/reject", "{\"note\":\"no\\u0000\"}");
    assertEquals("note", note.get("field").asText());
    var listed = h.send("GET", "/api/v1/quota-requests", admin, null);
    assertTrue(listed.body().contains("\"state\":\"pending\""), listed.body());
  }

  @Test
  void aHugeAgentVersionIsRefusedAndTheAnswerDoesNotEchoIt() throws Exception {
    JoinToken t =
        h.client(admin).post("/admin/join-tokens", new JoinToken.Create("1h", 10), JoinToken.class);
    // under the agent routes' body cap (512 KiB), so the field's own limit answers
    String huge = "v".repeat(300_000);
    String body =
        "{\"joinToken\":\""
            + t.token()
            + "\",\"name\":\"n1\",\"agentVersion\":\""
            + huge
            + "\",\"protocol\":"
            + Version.AGENT_PROTOCOL
            + ",\"facts\":{}}";
    var r = h.send("POST", "/api/v1/agent/register", null, body);
    JsonNode p = problem(r, 400);
    assertEquals("agentVersion", p.get("field").asText());
    assertTrue(r.body().length() < 1000, r.body().length() + " bytes");
    assertEquals(0, h.count("nodes"));
  }

  @Test
  void errorsQuoteOnlyAShortPrefixOfTheInput() throws Exception {
    String name = "x".repeat(900);
    var r =
        h.send(
            "POST",
            "/api/v1/quota-requests",
            admin,
            "{\"machineType\":\"" + name + "\",\"count\":1,\"days\":1,\"reason\":\"r\"}");
    assertTrue(r.statusCode() >= 400 && r.statusCode() < 500, r.body());
    JsonNode p = Harness.problemBody(r);
    assertTrue(p.get("detail").asText().length() < 400, p.toString());
    var missing = h.send("DELETE", "/api/v1/volumes/" + "y".repeat(5000), admin, null);
    assertTrue(Harness.problemBody(missing).get("detail").asText().length() < 400);
    var notNumber = h.send("POST", "/api/v1/jobs/" + "z".repeat(900) + "/cancel", admin, null);
    JsonNode q = problem(notNumber, 400);
    assertTrue(q.get("detail").asText().contains("z".repeat(40) + "…"), q.toString());
    assertTrue(!q.get("detail").asText().contains("z".repeat(41)), q.toString());
  }

  @Test
  void unknownFieldsAreStillToleratedForNewerClients() throws Exception {
    assertEquals(
        201,
        h.send("POST", "/api/v1/volumes", admin, "{\"name\":\"d2\",\"sizeGib\":1,\"future\":1}")
            .statusCode());
  }

  @Test
  void aRepeatedKeyIsRefused() throws Exception {
    refused("POST", "/api/v1/volumes", "{\"name\":\"a\",\"name\":\"b\",\"sizeGib\":1}");
  }
}
