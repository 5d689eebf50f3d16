package dev.ocean.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.client.SilentServer;
import java.io.IOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Function;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;

/**
 * The agent's client answers, fails over and words its failures exactly as {@link OceanClient}
 * does, against a real HTTP server on port 0: each case runs through both and compares.
 */
class NodeClientTest {

  private final List<HttpServer> servers = new CopyOnWriteArrayList<>();
  private final Map<String, String> seen = new ConcurrentHashMap<>();

  @AfterEach
  void stop() {
    servers.forEach(s -> s.stop(0));
  }

  /** A server answering every request with {@code status}, {@code type} and {@code body}. */
  private String server(int status, String type, String body) throws IOException {
    return server(x -> new String[] {String.valueOf(status), type, body});
  }

  private String server(Function<HttpExchange, String[]> answer) throws IOException {
    HttpServer s = HttpServer.create(new InetSocketAddress(InetAddress.getLoopbackAddress(), 0), 0);
    s.createContext(
        "/",
        x -> {
          byte[] in = x.getRequestBody().readAllBytes();
          seen.put("path", x.getRequestURI().toString());
          seen.put("method", x.getRequestMethod());
          seen.put("body", new String(in, StandardCharsets.UTF_8));
          x.getRequestHeaders()
              .forEach((k, v) -> seen.put(k.toLowerCase(java.util.Locale.ROOT), v.get(0)));
          String[] a = answer.apply(x);
          byte[] out = a[2].getBytes(StandardCharsets.UTF_8);
          if (a[1] != null) {
            x.getResponseHeaders().set("Content-Type", a[1]);
          }
          x.sendResponseHeaders(Integer.parseInt(a[0]), out.length == 0 ? -1 : out.length);
          try (var os = x.getResponseBody()) {
            os.write(out);
          }
        });
    s.start();
    servers.add(s);
    return "http://127.0.0.1:" + s.getAddress().getPort();
  }

  private static NodeClient node(String spec) {
    return AgentDaemon.agentClient(spec, "cred");
  }

  private static OceanClient ocean(String spec) {
    return OceanClient.withAuthorization(spec, "Bearer cred")
        .withHeader(AgentProtocol.HEADER, String.valueOf(AgentProtocol.VERSION));
  }

  /** Both clients fail the same way: same exception type, status and sentence. */
  private static void sameFailure(Executable viaOcean, Executable viaNode) {
    OceanClientException expected = assertThrows(OceanClientException.class, viaOcean);
    OceanClientException actual = assertThrows(OceanClientException.class, viaNode);
    assertEquals(expected.getClass(), actual.getClass());
    assertEquals(expected.getMessage(), actual.getMessage());
    if (expected instanceof OceanApiException e) {
      OceanApiException a = (OceanApiException) actual;
      assertEquals(e.problem(), a.problem());
    }
  }

  @Test
  void sendsTheNodeCredentialTheProtocolHeaderAndJsonAndReadsTheAnswer() throws IOException {
    String url = server(200, "application/json", "{\"size\":42,\"extra\":true}");

    LogAck ack = node(url).post("/agent/runs/r1/logs", Map.of("a", 1), LogAck.class);

    assertEquals(42, ack.size());
    assertEquals("POST", seen.get("method"));
    assertEquals("/api/v1/agent/runs/r1/logs", seen.get("path"));
    assertEquals("Bearer cred", seen.get("authorization"));
    assertEquals(
        String.valueOf(AgentProtocol.VERSION), seen.get(AgentProtocol.HEADER.toLowerCase()));
    assertEquals("application/json", seen.get("content-type"));
    assertEquals("{\"a\":1}", seen.get("body"));
  }

  @Test
  void rawBytesGoAsTheyAreWithTheirType() throws IOException {
    String url = server(200, "application/json", "{\"size\":3}");

    long size =
        node(url)
            .postBytes(
                "/agent/runs/r1/logs?offset=0",
                new byte[] {'a', 'b', '\n'},
                "application/octet-stream",
                LogAck.class)
            .size();

    assertEquals(3, size);
    assertEquals("/api/v1/agent/runs/r1/logs?offset=0", seen.get("path"));
    assertEquals("application/octet-stream", seen.get("content-type"));
    assertEquals("ab\n", seen.get("body"));
  }

  @Test
  void aNoContentAnswerIsNull() throws IOException {
    String url = server(204, null, "");

    assertNull(node(url).post(AgentProtocol.LEAVE, null, Void.class));
    assertEquals("", seen.get("body"));
  }

  @Test
  void aProblemDocumentBecomesTheSameApiExceptionWithItsFieldAndStatus() throws IOException {
    String url =
        server(
            400,
            "application/problem+json",
            "{\"title\":\"Bad request\",\"status\":400,\"detail\":\"name is too long\","
                + "\"field\":\"name\"}");

    sameFailure(
        () -> ocean(url).post("/agent/register", Map.of(), Map.class),
        () -> node(url).post("/agent/register", Map.of(), Map.class));
    OceanApiException e =
        assertThrows(
            OceanApiException.class, () -> node(url).post("/agent/register", Map.of(), Map.class));
    assertEquals("name", e.problem().field());
  }

  @Test
  void aRemovedNodesHeartbeatIsA401TheDaemonCanSee() throws IOException {
    String url =
        server(
            401,
            "application/problem+json",
            "{\"title\":\"Unauthorized\",\"status\":401,\"detail\":\"unknown node credential\"}");

    sameFailure(
        () -> ocean(url).post(AgentProtocol.HEARTBEAT, Map.of(), Map.class),
        () -> node(url).post(AgentProtocol.HEARTBEAT, Map.of(), Map.class));
    assertEquals(
        401,
        assertThrows(
                OceanApiException.class,
                () -> node(url).post(AgentProtocol.HEARTBEAT, Map.of(), Map.class))
            .status());
  }

  @Test
  void pagesThatAreNotOceansApiGetTheSameSentences() throws IOException {
    String html = server(200, "text/html", "<html>hi</html>");
    String failing = server(502, "text/html", "<html>bad gateway</html>");
    String notFound = server(404, "text/plain", "nope");

    for (String url : List.of(html, failing, notFound)) {
      sameFailure(
          () -> ocean(url).get("/agent/work?wait=1", Map.class),
          () -> node(url).get("/agent/work?wait=1", Map.class));
    }
  }

  @Test
  void anAnswerThatIsNotTheJsonExpectedSaysSo() throws IOException {
    String url = server(200, "application/json", "{\"size\":\"many\"}");

    OceanClientException expected =
        assertThrows(
            OceanClientException.class, () -> ocean(url).get("/agent/runs/r/logs", LogAck.class));
    OceanClientException actual =
        assertThrows(
            OceanClientException.class, () -> node(url).get("/agent/runs/r/logs", LogAck.class));
    // the same sentence; what follows the colon is each parser's own account of the value
    String sentence = "the answer from the Ocean server at " + url + " is not the JSON expected: ";
    assertTrue(expected.getMessage().startsWith(sentence), expected.getMessage());
    assertTrue(actual.getMessage().startsWith(sentence), actual.getMessage());
    assertTrue(actual.getMessage().contains("VALUE_STRING"), actual.getMessage());
  }

  @Test
  void aFailingServerIsLeftForTheNextAndTheLiveOneKept() throws IOException {
    String failing = server(503, "text/plain", "down");
    String live = server(200, "application/json", "{\"size\":7}");
    NodeClient client = node(failing + "," + live);

    assertEquals(7, client.get("/agent/runs/r/logs", LogAck.class).size());
    assertEquals(live, client.baseUrl());
    // the long-poll client made from it moves with it
    assertEquals(live, client.withReadTimeout(java.time.Duration.ofSeconds(40)).baseUrl());
  }

  @Test
  void aServerThatTakesAHeartbeatButNeverAnswersIsLeftForTheNextAndTheLiveOneKept()
      throws IOException {
    String live = server(200, "application/json", "{\"size\":7}");
    try (SilentServer frozen = new SilentServer()) {
      NodeClient client =
          node(frozen.url() + "," + live).withReadTimeout(java.time.Duration.ofMillis(300));

      assertEquals(7, client.post(AgentProtocol.HEARTBEAT, Map.of(), LogAck.class).size());
      assertEquals(live, client.baseUrl());
      assertEquals(7, client.get("/agent/runs/r/logs", LogAck.class).size());
      assertEquals(1, frozen.accepted(), "the frozen server is not asked again");
    }
  }

  @Test
  void aRegistrationThatGotNoAnswerIsNotSentToAnotherServer() throws IOException {
    String live = server(200, "application/json", "{}");
    try (SilentServer frozen = new SilentServer()) {
      String spec = frozen.url() + "," + live;
      java.time.Duration quick = java.time.Duration.ofMillis(300);

      sameFailure(
          () ->
              ocean(spec).withReadTimeout(quick).post(AgentProtocol.REGISTER, Map.of(), Map.class),
          () ->
              node(spec)
                  .withReadTimeout(quick)
                  .postOnce(AgentProtocol.REGISTER, Map.of(), Map.class));
      assertNull(seen.get("path"), "the live server never saw the registration");
    }
  }

  @Test
  void noServerAnsweringNamesEveryOneTried() throws IOException {
    String a = "http://127.0.0.1:" + closedPort();
    String b = "http://127.0.0.1:" + closedPort();

    sameFailure(
        () -> ocean(a + "," + b).get("/agent/work", Map.class),
        () -> node(a + "," + b).get("/agent/work", Map.class));
    OceanClientException e =
        assertThrows(
            OceanClientException.class, () -> node(a + "," + b).get("/agent/work", Map.class));
    assertTrue(e.getMessage().contains(a) && e.getMessage().contains(b), e.getMessage());
  }

  @Test
  void aServerAddressEndingInTheApiPathIsRefusedAsTheOceanClientDoes() throws IOException {
    String url = server(200, "application/json", "{}") + "/api";

    sameFailure(
        () -> ocean(url).get("/agent/work", Map.class),
        () -> node(url).get("/agent/work", Map.class));
    sameFailure(
        () -> ocean("ftp://x").get("/agent/work", Map.class),
        () -> node("ftp://x").get("/agent/work", Map.class));
  }

  private static int closedPort() throws IOException {
    try (ServerSocket s = new ServerSocket(0, 1, InetAddress.getLoopbackAddress())) {
      return s.getLocalPort();
    }
  }
}
