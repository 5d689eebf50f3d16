package dev.ocean.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.Version;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.json.Json;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;

/** A real server on port 0 with an admin, plus raw HTTP helpers for the input and authz tests. */
final class Harness implements AutoCloseable {
  static final ObjectMapper JSON = Json.newMapper();
  static final String ADMIN = "admin@example.com";
  static final String PASSWORD = "Admin123!x";

  final OceanServer server;
  final HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  Harness(Path dir) throws Exception {
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

  String url() {
    return server.url();
  }

  /** A new active user's token (the admin activates when signup needs it). */
  String user(String email) {
    OceanClient anon = OceanClient.forUser(url(), null);
    anon.post("/auth/signup", new Credentials(email, PASSWORD), Object.class);
    return login(email);
  }

  String login(String email) {
    return OceanClient.forUser(url(), null)
        .post("/auth/login", new Credentials(email, PASSWORD), Session.class)
        .token();
  }

  OceanClient client(String token) {
    return OceanClient.forUser(url(), token);
  }

  /** Registers a node and returns its credential. */
  String node(String adminToken, String name) {
    JoinToken t =
        client(adminToken)
            .post("/admin/join-tokens", new JoinToken.Create("1h", 10), JoinToken.class);
    NodeFacts facts =
        new NodeFacts(name, "Linux", "amd64", "cpu", 4, 8L << 30, List.of(), List.of(), null);
    return OceanClient.forUser(url(), null)
        .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
        .post(
            "/agent/register",
            new Registration(t.token(), name, Version.VERSION, Version.AGENT_PROTOCOL, facts),
            Registration.Accepted.class)
        .credential();
  }

  /** One request; {@code body} null sends none. */
  HttpResponse<String> send(String method, String path, String token, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(url() + path))
            .timeout(Duration.ofSeconds(30))
            .header("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
            .method(
                method,
                body == null
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofString(body));
    if (body != null) {
      b.header("Content-Type", "application/json");
    }
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  /** Asserts a problem+json answer with that status and returns its body. */
  static JsonNode problem(HttpResponse<String> r, int status) throws Exception {
    assertEquals(status, r.statusCode(), r.body());
    return problemBody(r);
  }

  static JsonNode problemBody(HttpResponse<String> r) throws Exception {
    assertTrue(
        r.headers().firstValue("Content-Type").orElse("").startsWith("application/problem+json"),
        r.statusCode() + " " + r.headers() + " " + r.body());
    JsonNode p = JSON.readTree(r.body());
    assertEquals(r.statusCode(), p.get("status").asInt(), r.body());
    return p;
  }

  /** Sends bytes as they are (for requests no HTTP client would build) and reads the answer. */
  String raw(String request) throws Exception {
    try (Socket s = new Socket("127.0.0.1", server.port())) {
      s.setSoTimeout(10_000);
      OutputStream out = s.getOutputStream();
      out.write(request.getBytes(StandardCharsets.ISO_8859_1));
      out.flush();
      InputStream in = s.getInputStream();
      ByteArrayOutputStream got = new ByteArrayOutputStream();
      byte[] buf = new byte[8192];
      int n;
      try {
        while ((n = in.read(buf)) > 0) {
          got.write(buf, 0, n);
        }
      } catch (java.net.SocketException | java.net.SocketTimeoutException e) {
        // the server closed the connection after its answer
      }
      return got.toString(StandardCharsets.UTF_8);
    }
  }

  long count(String table) {
    return server
        .database()
        .jdbi()
        .withHandle(h -> h.createQuery("SELECT COUNT(*) FROM " + table).mapTo(Long.class).one());
  }

  @Override
  public void close() {
    http.close();
    server.close();
  }
}
