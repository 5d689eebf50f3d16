package dev.ocean.server.tunnel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.agent.TunnelOpen;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.WebSocketPipe;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PipedInputStream;
import java.io.PipedOutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The tunnel through the server's own port, with the agent played by hand through the real
 * protocol: the owner's socket is spliced to the socket the node's agent opens back, strangers are
 * refused before any upgrade, and a tunnel nobody answers closes with the reason.
 */
@org.junit.jupiter.api.Timeout(60)
class TunnelServerTest {
  private static final Duration OPEN = Duration.ofSeconds(10);

  /** Java's pipes stall a writer for up to a second when full: big enough never to fill. */
  private static final int PIPE = 8 * 1024 * 1024;

  @TempDir Path dir;
  private ScriptedCluster c;
  private OceanClient owner;
  private OceanClient stranger;
  private Assignment run;

  @BeforeEach
  void start() throws Exception {
    c = new ScriptedCluster(dir, TestStorage.SQLITE, s -> s.tunnelAnswerWithin(OPEN));
    owner = signup("owner@example.com");
    stranger = signup("stranger@example.com");
    c.submit("box", null, 1);
    run = c.next();
    c.report(run.runId(), "running", null);
    Instances.running(c.server, run.jobId(), "owner@example.com", "box");
  }

  @AfterEach
  void stop() {
    c.close();
  }

  @Test
  void ownersBytesReachTheAgentAndBack() throws Exception {
    ByteArrayOutputStream userGot = new ByteArrayOutputStream();
    WebSocketPipe user = WebSocketPipe.open(owner, tunnel("box", "22"), userGot, OPEN);
    TunnelOpen open = pollTunnel();
    assertEquals(22, open.port());
    assertEquals(run.runId(), open.runId());

    // the agent echoes what it gets
    PipedInputStream agentIn = new PipedInputStream(1 << 16);
    PipedOutputStream echo = new PipedOutputStream(agentIn);
    WebSocketPipe agent = WebSocketPipe.open(c.node, AgentProtocol.tunnel(open.id()), echo, OPEN);
    Thread.ofVirtual().start(() -> agent.sendFrom(agentIn));

    PipedInputStream userIn = new PipedInputStream();
    PipedOutputStream typing = new PipedOutputStream(userIn);
    Thread.ofVirtual().start(() -> user.sendFrom(userIn));
    typing.write("SSH-2.0-hello\n".getBytes(StandardCharsets.UTF_8));
    typing.flush();
    Poll.until(OPEN, () -> userGot.toString(StandardCharsets.UTF_8).equals("SSH-2.0-hello\n"));

    Poll.until(OPEN, () -> Instances.lastActivity(c.server, "box") != null);

    typing.close(); // the user's side ends: both sides close normally
    WebSocketPipe.Closed agentSaw = agent.awaitClose();
    assertEquals(1000, agentSaw.code());
    assertEquals(1000, user.awaitClose().code());
  }

  @Test
  void megabytesArriveWholeAndInOrderThroughAnEchoingAgent() throws Exception {
    ByteArrayOutputStream userGot = new ByteArrayOutputStream();
    WebSocketPipe user = WebSocketPipe.open(owner, tunnel("box", "22"), userGot, OPEN);
    TunnelOpen open = pollTunnel();
    PipedInputStream agentIn = new PipedInputStream(PIPE);
    PipedOutputStream echo = new PipedOutputStream(agentIn);
    WebSocketPipe agent = WebSocketPipe.open(c.node, AgentProtocol.tunnel(open.id()), echo, OPEN);
    Thread.ofVirtual().start(() -> agent.sendFrom(agentIn));

    byte[] data = new byte[6 * 1024 * 1024 + 123];
    new java.util.Random(9).nextBytes(data);
    PipedInputStream userIn = new PipedInputStream(PIPE);
    PipedOutputStream typing = new PipedOutputStream(userIn);
    Thread.ofVirtual().start(() -> user.sendFrom(userIn));
    for (int off = 0; off < data.length; off += 100_000) {
      typing.write(data, off, Math.min(100_000, data.length - off));
    }
    typing.flush();
    Poll.until(Duration.ofSeconds(60), () -> userGot.size() >= data.length);
    assertTrue(
        java.util.Arrays.equals(data, userGot.toByteArray()), "the echo equals what was sent");
    typing.close();
    assertEquals(1000, user.awaitClose().code());
  }

  @Test
  void aTunnelWhosePollTheAgentNeverReadIsOfferedAgainUntilTheAgentConnects() throws Exception {
    ByteArrayOutputStream userGot = new ByteArrayOutputStream();
    WebSocketPipe user = WebSocketPipe.open(owner, tunnel("box", "22"), userGot, OPEN);
    // the agent's poll is answered with the tunnel, but the agent had given up that poll
    assertEquals("HTTP/1.1 200 OK", pollNobodyReads());

    TunnelOpen open = pollTunnel(); // before: no tunnel until the user's side timed out
    assertEquals(22, open.port());
    PipedInputStream agentIn = new PipedInputStream(1 << 16);
    WebSocketPipe agent =
        WebSocketPipe.open(
            c.node, AgentProtocol.tunnel(open.id()), new PipedOutputStream(agentIn), OPEN);
    Thread.ofVirtual().start(() -> agent.sendFrom(agentIn));
    assertFalse(user.isClosed(), "the user's tunnel is spliced to the agent's");

    // a poll held past when it would be offered again
    long hold = TunnelBroker.OFFER_AGAIN_AFTER.toSeconds() + 1;
    assertTrue(
        c.node.get("/agent/work?wait=" + hold, Work.class).tunnels().isEmpty(),
        "a tunnel its agent connected is offered no more");
    user.close(WebSocketPipe.FAILED, "done");
  }

  /** Polls as the node over a raw socket and reads only the status line of the answer. */
  private String pollNobodyReads() throws Exception {
    java.net.URI url = java.net.URI.create(c.server.url());
    try (var socket = new java.net.Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(10_000);
      String request =
          "GET /api/v1/agent/work?wait=5 HTTP/1.1\r\nHost: "
              + url.getHost()
              + "\r\nAuthorization: "
              + c.nodeAuthorization
              + "\r\n"
              + AgentProtocol.HEADER
              + ": "
              + AgentProtocol.VERSION
              + "\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      return new java.io.BufferedReader(
              new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
          .readLine();
    }
  }

  @Test
  void anonymousAndStrangersAreRefusedBeforeTheUpgrade() {
    OceanClient anonymous = OceanClient.forUser(c.server.url(), null);
    var noLogin =
        assertThrows(
            OceanApiException.class,
            () ->
                WebSocketPipe.open(
                    anonymous, tunnel("box", "22"), OutputStream.nullOutputStream(), OPEN));
    assertEquals(401, noLogin.status());

    var notTheirs =
        assertThrows(
            OceanApiException.class,
            () ->
                WebSocketPipe.open(
                    stranger, tunnel("box", "22"), OutputStream.nullOutputStream(), OPEN));
    assertEquals(404, notTheirs.status());
    assertTrue(
        notTheirs.getMessage().contains("no running instance named 'box'"), notTheirs.getMessage());

    // the owner's instance that exists but does not run says so, as `ocean instance ssh` does
    c.server
        .database()
        .jdbi()
        .useHandle(
            h -> {
              h.execute("UPDATE instances SET state = 'stopped' WHERE name = 'box'");
              h.execute("UPDATE runs SET state = 'cancelled' WHERE job_id = ?", run.jobId());
            });
    var stopped =
        assertThrows(
            OceanApiException.class,
            () ->
                WebSocketPipe.open(
                    owner, tunnel("box", "22"), OutputStream.nullOutputStream(), OPEN));
    assertEquals(409, stopped.status());
    assertTrue(
        stopped
            .getMessage()
            .contains("instance box is stopped; start it with `ocean instance start box`"),
        stopped.getMessage());

    // a user's token is no node credential
    var notANode =
        assertThrows(
            OceanApiException.class,
            () ->
                WebSocketPipe.open(
                    owner.withHeader(AgentProtocol.HEADER, String.valueOf(AgentProtocol.VERSION)),
                    AgentProtocol.tunnel("whatever"),
                    OutputStream.nullOutputStream(),
                    OPEN));
    assertEquals(401, notANode.status());
    assertTrue(c.poll().tunnels().isEmpty(), "nothing was offered to the node");
  }

  @Test
  void anAgentCannotOpenATunnelThatDoesNotWaitForIt() {
    var unknown =
        assertThrows(
            OceanApiException.class,
            () ->
                WebSocketPipe.open(
                    c.node,
                    AgentProtocol.tunnel("not-a-tunnel"),
                    OutputStream.nullOutputStream(),
                    OPEN));
    assertEquals(404, unknown.status());
  }

  @Test
  void aPortOutsideTheRangeIsRefusedNamingIt() {
    var bad =
        assertThrows(
            OceanApiException.class,
            () ->
                WebSocketPipe.open(
                    owner, tunnel("box", "70000"), OutputStream.nullOutputStream(), OPEN));
    assertEquals(400, bad.status());
    assertEquals("port", bad.problem().field(), bad.getMessage());
  }

  @Test
  void aTunnelNoAgentAnswersClosesWithTheReason() throws Exception {
    try (var quick =
        new ScriptedCluster(
            dir.resolve("quick"),
            TestStorage.SQLITE,
            s -> s.tunnelAnswerWithin(Duration.ofMillis(500)))) {
      quick.submit("box", null, 1);
      Assignment a = quick.next();
      quick.report(a.runId(), "running", null);
      Instances.running(quick.server, a.jobId(), "admin@example.com", "box");
      WebSocketPipe user =
          WebSocketPipe.open(
              quick.admin, tunnel("box", "8888"), OutputStream.nullOutputStream(), OPEN);
      WebSocketPipe.Closed closed = user.awaitClose();
      assertEquals(1011, closed.code());
      assertEquals("node n1 did not answer within 1 s; is its agent running?", closed.reason());
    }
  }

  @Test
  void tunnelsWaitingForTheirNodeAreBoundedPerUser() {
    List<WebSocketPipe> waiting = new ArrayList<>();
    for (int i = 0; i < TunnelBroker.PENDING_PER_USER; i++) {
      waiting.add(
          WebSocketPipe.open(owner, tunnel("box", "22"), OutputStream.nullOutputStream(), OPEN));
    }
    var refused =
        assertThrows(
            OceanApiException.class,
            () ->
                WebSocketPipe.open(
                    owner, tunnel("box", "22"), OutputStream.nullOutputStream(), OPEN));
    assertEquals(429, refused.status());
    assertFalse(waiting.stream().anyMatch(WebSocketPipe::isClosed));
    assertEquals(TunnelBroker.PENDING_PER_USER, c.poll().tunnels().size());
  }

  private TunnelOpen pollTunnel() {
    List<TunnelOpen> tunnels = c.poll().tunnels();
    assertEquals(1, tunnels.size(), "one tunnel offered to the node");
    return tunnels.getFirst();
  }

  private static String tunnel(String name, String port) {
    return "/instances/" + name + "/tunnel?port=" + port;
  }

  @Test
  void aBrowserSessionCookieCannotOpenATunnel() throws Exception {
    var login =
        java.net.http.HttpClient.newHttpClient()
            .send(
                java.net.http.HttpRequest.newBuilder(
                        java.net.URI.create(c.server.url() + "/api/v1/session"))
                    .header("Content-Type", "application/json")
                    .POST(
                        java.net.http.HttpRequest.BodyPublishers.ofString(
                            "{\"email\":\"owner@example.com\",\"password\":\"Sea-Sh3ll!s\"}"))
                    .build(),
                java.net.http.HttpResponse.BodyHandlers.ofString());
    assertEquals(200, login.statusCode(), login.body());
    String cookie =
        login.headers().allValues("Set-Cookie").stream()
            .filter(v -> v.startsWith("ocean_session="))
            .map(v -> v.substring(0, v.indexOf(';')))
            .findFirst()
            .orElseThrow();
    java.net.URI url = java.net.URI.create(c.server.url());
    try (var socket = new java.net.Socket(url.getHost(), url.getPort())) {
      socket.setSoTimeout(10_000);
      String request =
          "GET /api/v1/instances/box/tunnel?port=22 HTTP/1.1\r\nHost: "
              + url.getHost()
              + ":"
              + url.getPort()
              + "\r\nOrigin: http://evil.example\r\nCookie: "
              + cookie
              + "\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\n"
              + "Sec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n";
      socket.getOutputStream().write(request.getBytes(StandardCharsets.US_ASCII));
      String status =
          new java.io.BufferedReader(
                  new java.io.InputStreamReader(socket.getInputStream(), StandardCharsets.US_ASCII))
              .readLine();
      assertEquals("HTTP/1.1 401 Unauthorized", status, "a cookie from any page opens nothing");
    }
    assertTrue(c.poll().tunnels().isEmpty(), "nothing was offered to the node");
  }

  private OceanClient signup(String email) {
    OceanClient.forUser(c.server.url(), null)
        .post("/auth/signup", new Credentials(email, "Sea-Sh3ll!s"), Object.class);
    return c.login(email, "Sea-Sh3ll!s");
  }
}
