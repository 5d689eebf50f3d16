package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.daemon.Joiner;
import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.common.api.node.JoinToken;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Join tokens, node credentials and the admin's node actions against a real server, with the agent
 * run in-process: who may join, who may call what, and what a refusal says.
 */
class JoinTokenE2ETest {
  private static final Map<String, String> ENV = Agents.env("rtx4090");
  private static final Duration SOON = Duration.ofSeconds(20);

  @TempDir Path dir;
  private TestCluster cluster;
  private final HttpClient http = HttpClient.newHttpClient();

  @BeforeEach
  void start() throws IOException {
    cluster = new TestCluster(dir);
  }

  @AfterEach
  void stop() {
    http.close();
    cluster.close();
  }

  private TestCluster.Run join(String token, String name, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "join",
                "--server",
                cluster.url(),
                "--token",
                token,
                "--name",
                name,
                "--state-dir",
                dir.resolve(name).toString()));
    args.addAll(List.of(more));
    return InProcessAgent.run(env(), args.toArray(String[]::new));
  }

  /** The agent's environment, with units of --install-service written to the temp dir. */
  private Map<String, String> env() {
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("OCEAN_SYSTEMD_DIR", dir.resolve("systemd").toString());
    return env;
  }

  /** Registers a node without running its daemon; returns its config. */
  private AgentConfig register(String name) {
    return Joiner.join(
        new Joiner.Request(
            cluster.url(),
            cluster.joinToken("1h"),
            name,
            "process",
            null,
            null,
            1,
            null,
            null,
            null,
            null,
            null),
        dir.resolve(name),
        NodeFingerprint.ofThisMachine(ENV));
  }

  @Test
  void expiredTokenIsRefusedWithAClearMessage() {
    String token = cluster.joinToken("1s");
    cluster.clock.advance(Duration.ofSeconds(2));
    TestCluster.Run r = join(token, "late-box");
    assertEquals(4, r.exit(), r.err());
    assertTrue(r.err().contains("join token is unknown, expired or revoked"), r.err());
    assertTrue(r.err().contains("ocean admin node token"), r.err());
    assertNull(cluster.stateOf("late-box"));
    assertTrue(Files.notExists(dir.resolve("late-box").resolve(AgentConfig.FILE)));
    assertEquals(List.of("expired"), tokenStates());
  }

  @Test
  void aJoinTokenAdmitsOneNodeUnlessMoreUsesWereAsked() {
    String single = cluster.joinToken("1h");
    assertEquals(0, join(single, "first-box", "--install-service").exit());
    TestCluster.Run second = join(single, "second-box", "--install-service");
    assertEquals(4, second.exit(), second.err());
    assertTrue(second.err().contains("already been used"), second.err());
    assertNull(cluster.stateOf("second-box"));

    String twice = cluster.joinToken("1h", 2);
    TestCluster.Run listing = cluster.admin("admin", "node", "tokens").ok();
    assertTrue(listing.out().contains("USES LEFT"), listing.out());
    assertTrue(listing.out().contains("2/2"), listing.out());
    assertEquals(0, join(twice, "second-box", "--install-service").exit());
    assertEquals(0, join(twice, "third-box", "--install-service").exit());
    assertEquals(4, join(twice, "fourth-box", "--install-service").exit());
    assertEquals(List.of("used", "used"), tokenStates());
    assertEquals(3, cluster.nodes().size());

    TestCluster.Run none = cluster.admin("admin", "node", "token", "--uses", "0");
    assertEquals(2, none.exit(), none.err());
    assertTrue(none.err().contains("--uses must be between 1 and 1000"), none.err());
  }

  @Test
  void theTokenCanComeFromAFileOrTheEnvironmentInsteadOfTheCommandLine() throws Exception {
    Path file = dir.resolve("join-token");
    Files.writeString(file, cluster.joinToken("1h") + "\n");
    TestCluster.Run fromFile =
        InProcessAgent.run(env(), joinArgs("file-box", "--token-file", file.toString()));
    assertEquals(0, fromFile.exit(), fromFile.err());

    Map<String, String> env = env();
    env.put("OCEAN_JOIN_TOKEN", cluster.joinToken("1h"));
    TestCluster.Run fromEnv = InProcessAgent.run(env, joinArgs("env-box"));
    assertEquals(0, fromEnv.exit(), fromEnv.err());
    assertEquals("ready", cluster.stateOf("file-box"));
    assertEquals("ready", cluster.stateOf("env-box"));

    TestCluster.Run none = InProcessAgent.run(env(), joinArgs("no-box"));
    assertEquals(2, none.exit(), none.err());
    assertTrue(none.err().contains("--token-file FILE, --token -"), none.err());
  }

  private String[] joinArgs(String name, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "join",
                "--server",
                cluster.url(),
                "--name",
                name,
                "--state-dir",
                dir.resolve(name).toString(),
                "--install-service"));
    args.addAll(List.of(more));
    return args.toArray(String[]::new);
  }

  @Test
  void revokedTokenIsRefused() {
    JoinToken t =
        cluster
            .admin("admin", "node", "token", "-o", "json")
            .ok()
            .json(new TypeReference<JoinToken>() {});
    cluster.admin("admin", "node", "revoke-token", String.valueOf(t.id())).ok();
    TestCluster.Run r = join(t.token(), "box");
    assertEquals(4, r.exit(), r.err());
    assertTrue(r.err().contains("revoked"), r.err());
    assertEquals(List.of("revoked"), tokenStates());
    assertEquals(5, cluster.admin("admin", "node", "revoke-token", String.valueOf(t.id())).exit());
  }

  private List<String> tokenStates() {
    return cluster
        .admin("admin", "node", "tokens", "-o", "json")
        .ok()
        .json(new TypeReference<List<JoinToken>>() {})
        .stream()
        .map(JoinToken::state)
        .toList();
  }

  @Test
  void badTtlIsAUsageError() {
    for (String ttl : List.of("abc", "0s", "90d", "-1h")) {
      TestCluster.Run r = cluster.admin("admin", "node", "token", "--ttl", ttl);
      assertEquals(2, r.exit(), ttl + ": " + r.err());
      assertTrue(r.err().startsWith("Error: --ttl must"), ttl + ": " + r.err());
      assertEquals("", r.out(), ttl);
    }
  }

  @Test
  void plainUserCannotMakeJoinTokensOrActOnNodes() {
    assertEquals(4, cluster.user("admin", "node", "token").exit());
    assertEquals(4, cluster.user("admin", "node", "tokens").exit());
    register("box");
    assertEquals(4, cluster.user("admin", "node", "drain", "box").exit());
    assertEquals("ready", cluster.stateOf("box"));
  }

  @Test
  void userTokensAndNodeCredentialsOnlyOpenTheirOwnDoors() throws Exception {
    assertEquals(401, post("/api/v1/agent/heartbeat", cluster.userToken, "1", "{}").statusCode());

    AgentConfig node = register("box");
    String credential = AgentConfig.load(dir.resolve("box")).orElseThrow().credential();
    assertEquals(node.credential(), credential);
    assertTrue(credential.startsWith("ocn_"), credential);
    for (String path : List.of("/api/v1/volumes", "/api/v1/nodes", "/api/v1/gpus")) {
      assertEquals(401, get(path, credential).statusCode(), path);
    }
    assertEquals(
        200,
        post("/api/v1/agent/heartbeat", credential, "1", "{}").statusCode(),
        "the node itself");
  }

  @Test
  void agentOfAnotherProtocolGetsUpgradeRequired() throws Exception {
    AgentConfig node = register("box");
    for (String spoken : new String[] {null, "99"}) {
      HttpResponse<String> r = post("/api/v1/agent/heartbeat", node.credential(), spoken, "{}");
      assertEquals(426, r.statusCode(), r.body());
      assertEquals(
          "application/problem+json",
          r.headers().firstValue("Content-Type").orElse("").split(";")[0]);
      String detail = TestCluster.JSON.readTree(r.body()).path("detail").asText();
      assertTrue(detail.contains("speaks agent protocol 1"), detail);
      assertTrue(detail.contains("agent speaks " + (spoken == null ? "none" : spoken)), detail);
    }
  }

  @Test
  void secondJoinWithATakenNameIsAConflict() {
    register("box");
    TestCluster.Run r =
        InProcessAgent.run(
            ENV,
            "join",
            "--server",
            cluster.url(),
            "--token",
            cluster.joinToken("1h"),
            "--name",
            "box",
            "--state-dir",
            dir.resolve("another-machine").toString());
    assertEquals(5, r.exit(), r.err());
    assertTrue(r.err().contains("a node named box is already registered"), r.err());
    assertEquals(1, cluster.nodes().size());
  }

  @Test
  void drainUndrainAndRemoveChangeTheNodeAndRemovalLocksTheAgentOut() throws Exception {
    AgentConfig config = register("box");
    Path state = dir.resolve("box");
    try (AgentDaemon daemon =
        new AgentDaemon(config, state, NodeFingerprint.ofThisMachine(ENV)).start()) {
      TestCluster.Run drain = cluster.admin("admin", "node", "drain", "box").ok();
      assertTrue(drain.err().contains("Node box is now draining."), drain.err());
      assertEquals("draining", cluster.stateOf("box"));
      Poll.check(SOON, "the agent hears it is draining", () -> state(state, "draining"));

      cluster.admin("admin", "node", "undrain", "box").ok();
      assertEquals("ready", cluster.stateOf("box"));
      Poll.check(SOON, "the agent hears it is ready", () -> state(state, "ready"));

      TestCluster.Run remove = cluster.admin("admin", "node", "remove", "box").ok();
      assertTrue(remove.err().contains("Node box is now removed."), remove.err());
      assertNull(cluster.stateOf("box"));
      TestCluster.Run gone = cluster.admin("node", "get", "box");
      assertEquals(3, gone.exit());
      assertEquals("Error: no node named box.", gone.err().strip());
      assertEquals(3, cluster.admin("admin", "node", "drain", "box").exit());
      String reason = daemon.awaitExit();
      assertNotNull(reason, "the daemon stops once its credential is refused");
    }
    assertEquals(401, post("/api/v1/agent/heartbeat", config.credential(), "1", "{}").statusCode());
    TestCluster.Run run = InProcessAgent.run(ENV, "run", "--state-dir", state.toString());
    assertNotEquals(0, run.exit());
    assertTrue(run.err().contains("node box is no longer known to " + cluster.url()), run.err());
    assertTrue(run.err().strip().endsWith("."), run.err());
  }

  private static boolean state(Path stateDir, String expected) {
    return dev.ocean.agent.daemon.AgentStatus.load(stateDir)
        .map(s -> expected.equals(s.serverState()))
        .orElse(false);
  }

  private HttpResponse<String> get(String path, String bearer) throws Exception {
    return http.send(
        HttpRequest.newBuilder(URI.create(cluster.url() + path))
            .header("Authorization", "Bearer " + bearer)
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> post(String path, String bearer, String protocol, String body)
      throws Exception {
    HttpRequest.Builder b =
        HttpRequest.newBuilder(URI.create(cluster.url() + path))
            .header("Authorization", "Bearer " + bearer)
            .header("Content-Type", "application/json")
            .POST(HttpRequest.BodyPublishers.ofString(body));
    if (protocol != null) {
      b.header("Ocean-Agent-Protocol", protocol);
    }
    return http.send(b.build(), HttpResponse.BodyHandlers.ofString());
  }
}
