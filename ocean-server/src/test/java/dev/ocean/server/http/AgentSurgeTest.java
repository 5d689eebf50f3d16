package dev.ocean.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.daemon.AgentStatus;
import dev.ocean.agent.facts.FakeNvidiaSmi;
import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.common.Version;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.io.IOException;
import java.net.Socket;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server bounds the agent requests it works on at once ({@link AgentGate}): past the bound an
 * agent request is answered 503 with a {@code Retry-After} and a problem document, before anything
 * of it is applied, while users' requests are still served; a node whose requests are refused while
 * it keeps trying is not marked lost, and the real agent comes back when the server said. Real
 * server on port 0 with a bound of one; the place is held by a registration whose body never
 * finishes arriving (its handler waits for the rest).
 */
class AgentSurgeTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  @Test
  void anAgentRequestPastTheBoundIs503WithRetryAfterAndIsNotAppliedUntilSentAgain()
      throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE, s -> s.agentRequests(1))) {
      Job job = c.submit("surge", null, 1);
      String runId = c.next().runId();

      try (Socket held = holdThePlace(c.server.url())) {
        waitUntil(Duration.ofSeconds(20), () -> unauthenticatedRegister(c.server.url()) == 503);

        HttpResponse<String> refused = report(c, runId);
        assertEquals(503, refused.statusCode(), refused.body());
        assertEquals("1", refused.headers().firstValue("Retry-After").orElse(""), "work: soon");
        HttpResponse<String> beat = heartbeat(c);
        assertEquals(503, beat.statusCode(), beat.body());
        assertEquals("5", beat.headers().firstValue("Retry-After").orElse(""), "heartbeat time");
        assertEquals(
            "application/problem+json",
            refused.headers().firstValue("Content-Type").orElse("").split(";")[0]);
        assertTrue(refused.body().contains("busy"), refused.body());

        // users are served while agents wait; and the refused report changed nothing
        assertEquals("assigned", c.job(job.id()).runs().getFirst().state());
      }

      HttpResponse<String> again = null;
      long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
      while (System.nanoTime() < deadline && (again == null || again.statusCode() == 503)) {
        again = report(c, runId);
      }
      assertEquals(200, again.statusCode(), again.body());
      assertEquals("running", c.job(job.id()).runs().getFirst().state());
    }
  }

  @Test
  void aNodeRefusedWhileItKeepsTryingIsNotLostAndTheRealAgentComesBackWhenTold() throws Exception {
    Duration lostAfter = Duration.ofSeconds(3);
    try (var c =
        new ScriptedCluster(
            dir,
            TestStorage.SQLITE,
            s ->
                s.agentRequests(1)
                    .heartbeatSeconds(1)
                    .nodeLostAfter(lostAfter)
                    .sweepInterval(Duration.ofMillis(200)))) {
      String credential = register(c, "n2");
      Path state = Files.createDirectories(dir.resolve("agent-n2"));
      AgentConfig config =
          new AgentConfig(
              c.server.url(),
              "n2",
              credential,
              "process",
              null,
              null,
              1,
              null,
              null,
              null,
              null,
              null,
              null);
      try (AgentDaemon daemon =
          new AgentDaemon(
                  config, state, NodeFingerprint.ofThisMachine(FakeNvidiaSmi.env("rtx4090")))
              .start()) {
        waitUntil(Duration.ofSeconds(20), () -> lastBeat(state) != null);
        register(c, "n3"); // and never heartbeats

        Instant released;
        try (Socket held = holdThePlace(c.server.url())) {
          waitUntil(Duration.ofSeconds(20), () -> unauthenticatedRegister(c.server.url()) == 503);
          // five lost timeouts: long enough that an agent backing off (1, 2, 4, 8, 16 s) instead
          // of coming back as told would next try about 15 s after the release
          long until = System.nanoTime() + Duration.ofSeconds(16).toNanos();
          // n3 says nothing and is lost; n2's every heartbeat is refused, yet it is not lost
          while (System.nanoTime() < until || !state(c, "n3").equals("lost")) {
            assertNotEquals("lost", state(c, "n2"), "a node that keeps trying is heard");
            Thread.sleep(100);
          }
          released = Instant.now();
        }
        // Retry-After is 1 s (the heartbeat time), plus up to as much again
        waitUntil(
            Duration.ofSeconds(4),
            () -> lastBeat(state) != null && lastBeat(state).isAfter(released));
        assertEquals("ready", state(c, "n2"));
      }
    }
  }

  @Test
  void aJoinRefusedAsBusyComesBackAndJoins() throws Exception {
    try (var c =
        new ScriptedCluster(dir, TestStorage.SQLITE, s -> s.agentRequests(1).heartbeatSeconds(1))) {
      String token =
          c.admin
              .post("/admin/join-tokens", new JoinToken.Create("1h", null), JoinToken.class)
              .token();
      Path state = Files.createDirectories(dir.resolve("agent-n4"));
      var joined = new java.util.concurrent.CompletableFuture<AgentConfig>();
      try (Socket held = holdThePlace(c.server.url())) {
        waitUntil(Duration.ofSeconds(20), () -> unauthenticatedRegister(c.server.url()) == 503);
        long refusedBefore = c.server.agentRequestsRefused();
        Thread.ofVirtual()
            .start(
                () -> {
                  try {
                    joined.complete(
                        dev.ocean.agent.daemon.Joiner.join(
                            new dev.ocean.agent.daemon.Joiner.Request(
                                c.server.url(),
                                token,
                                "n4",
                                "process",
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null,
                                null),
                            state,
                            NodeFingerprint.ofThisMachine(FakeNvidiaSmi.env("rtx4090"))));
                  } catch (RuntimeException e) {
                    joined.completeExceptionally(e);
                  }
                });
        // refused while the place is held (Retry-After 1 s): the join has not failed
        waitUntil(
            Duration.ofSeconds(20), () -> c.server.agentRequestsRefused() >= refusedBefore + 2);
        assertTrue(!joined.isDone() || !joined.isCompletedExceptionally(), "refused, not failed");
      }
      assertEquals("n4", joined.get(30, java.util.concurrent.TimeUnit.SECONDS).nodeName());
      assertEquals("ready", state(c, "n4"));
    }
  }

  /**
   * Sends an agent request whose body does not arrive: it holds its place at the gate until the
   * socket closes.
   */
  private static Socket holdThePlace(String url) throws IOException {
    Socket s = new Socket("127.0.0.1", URI.create(url).getPort());
    String head =
        "POST /api/v1/agent/register HTTP/1.1\r\nHost: 127.0.0.1\r\n"
            + "Content-Type: application/json\r\nOcean-Agent-Protocol: "
            + Version.AGENT_PROTOCOL
            + "\r\nContent-Length: 1000\r\n\r\n{\"token\":";
    s.getOutputStream().write(head.getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    return s;
  }

  /** A registration with no credential (so it makes no node heard): its status. */
  private int unauthenticatedRegister(String url) {
    try {
      return http.send(
              HttpRequest.newBuilder(URI.create(url + "/api/v1/agent/register"))
                  .header("Content-Type", "application/json")
                  .header("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
                  .POST(HttpRequest.BodyPublishers.ofString("{}"))
                  .build(),
              HttpResponse.BodyHandlers.discarding())
          .statusCode();
    } catch (IOException | InterruptedException e) {
      throw new IllegalStateException(e);
    }
  }

  private HttpResponse<String> report(ScriptedCluster c, String runId) throws Exception {
    return http.send(
        HttpRequest.newBuilder(
                URI.create(c.server.url() + "/api/v1/agent/runs/" + runId + "/status"))
            .header("Authorization", c.nodeAuthorization)
            .header("Content-Type", "application/json")
            .header("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
            .POST(HttpRequest.BodyPublishers.ofString("{\"state\":\"running\"}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> heartbeat(ScriptedCluster c) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(c.server.url() + "/api/v1/agent/heartbeat"))
            .header("Authorization", c.nodeAuthorization)
            .header("Content-Type", "application/json")
            .header("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
            .POST(HttpRequest.BodyPublishers.ofString("{}"))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  /** Registers node {@code name} with a fresh join token; returns its credential. */
  private static String register(ScriptedCluster c, String name) {
    JoinToken t =
        c.admin.post("/admin/join-tokens", new JoinToken.Create("1h", null), JoinToken.class);
    NodeFacts facts =
        new NodeFacts(
            name,
            "Linux",
            "amd64",
            "cpu",
            8,
            64L << 30,
            List.of(),
            List.of(new GpuInfo(0, "GPU-" + name, "H100", 81559, null)),
            null);
    return dev.ocean.common.client.OceanClient.forUser(c.server.url(), null)
        .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
        .post(
            "/agent/register",
            new Registration(t.token(), name, Version.VERSION, Version.AGENT_PROTOCOL, facts),
            Registration.Accepted.class)
        .credential();
  }

  private static String state(ScriptedCluster c, String node) {
    return c.admin.get("/nodes/" + node, Node.class).state();
  }

  private static Instant lastBeat(Path state) {
    return AgentStatus.load(state).map(AgentStatus::lastHeartbeatAt).orElse(null);
  }

  private static void waitUntil(Duration within, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("not within " + within);
      }
      Thread.sleep(50);
    }
  }
}
