package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.daemon.Joiner;
import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.common.client.OceanApiException;
import java.io.IOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ocean admin node rotate}: the running agent picks up a new credential by itself. */
class CredentialRotationTest {
  private static final Map<String, String> ENV = Agents.env("rtx4090");

  @TempDir Path dir;
  private TestCluster cluster;

  @BeforeEach
  void start() throws IOException {
    cluster = new TestCluster(dir);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** What the server answers a node call (one that changes nothing) with this credential. */
  private static int status(String server, String credential) {
    try {
      AgentDaemon.agentClient(server, credential).get("/agent/work?wait=1", Map.class);
      return 200;
    } catch (OceanApiException e) {
      return e.status();
    }
  }

  @Test
  void rotatedCredentialReachesTheAgentAndTheOldOneStopsWorking() throws Exception {
    Path state = dir.resolve("box");
    AgentConfig before =
        Joiner.join(
            new Joiner.Request(
                cluster.url(),
                cluster.joinToken("1h"),
                "box",
                "process",
                null,
                null,
                1,
                null,
                null,
                null,
                null,
                null),
            state,
            NodeFingerprint.ofThisMachine(ENV));
    try (AgentDaemon daemon =
        new AgentDaemon(before, state, NodeFingerprint.ofThisMachine(ENV)).start()) {
      TestCluster.Run rotate = cluster.admin("admin", "node", "rotate", "box").ok();
      assertTrue(rotate.err().contains("new credential"), rotate.err());

      Poll.check(
          Duration.ofSeconds(20),
          "the agent stores a new credential",
          () -> !AgentConfig.load(state).orElseThrow().credential().equals(before.credential()));
      String after = AgentConfig.load(state).orElseThrow().credential();
      Poll.check(
          Duration.ofSeconds(20),
          "the old credential is refused",
          () -> status(cluster.url(), before.credential()) == 401);

      assertEquals(200, status(cluster.url(), after));
      assertEquals("ready", cluster.stateOf("box"));
    }
    assertThrows(
        OceanApiException.class,
        () ->
            AgentDaemon.agentClient(cluster.url(), before.credential())
                .post("/agent/leave", null, Void.class));
  }
}
