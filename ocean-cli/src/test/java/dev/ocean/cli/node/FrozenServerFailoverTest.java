package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.daemon.AgentStatus;
import dev.ocean.agent.daemon.Joiner;
import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.common.client.SilentServer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code --server a,b} where {@code a} takes connections and never answers (a frozen JVM, {@code
 * kill -STOP}): the agent's heartbeats and the CLI's reads move on to {@code b}, which is real.
 */
class FrozenServerFailoverTest {
  private static final Map<String, String> ENV = Agents.env("rtx4090");
  private static final Duration QUICK = Duration.ofMillis(300);

  @TempDir Path dir;
  private TestCluster cluster;
  private SilentServer frozen;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir);
    frozen = new SilentServer();
  }

  @AfterEach
  void stop() throws Exception {
    frozen.close();
    cluster.close();
  }

  @Test
  void heartbeatsAndReadsMoveFromAServerThatNeverAnswersToTheLiveOne() throws Exception {
    Path state = dir.resolve("box");
    AgentConfig joined =
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
    String both = frozen.url() + "," + cluster.url();
    AgentConfig twoServers =
        new AgentConfig(
            both,
            joined.nodeName(),
            joined.credential(),
            joined.runtime(),
            joined.dockerHost(),
            joined.storage(),
            joined.heartbeatSeconds(),
            joined.ulimits(),
            joined.caCert(),
            joined.registration(),
            joined.runAs(),
            joined.portRange(),
            joined.advertiseAddress());

    try (AgentDaemon daemon =
        new AgentDaemon(twoServers, state, NodeFingerprint.ofThisMachine(ENV))
            .answerTimeout(QUICK)
            .start()) {
      AgentStatus beat =
          Poll.until(
              Duration.ofSeconds(20),
              "a heartbeat is answered",
              () ->
                  AgentStatus.load(state)
                      .filter(s -> s.lastError() == null && "ready".equals(s.serverState()))
                      .orElse(null));
      assertTrue(frozen.accepted() >= 1, "the agent tried the frozen server first");
      Poll.check(
          Duration.ofSeconds(20),
          "another heartbeat is answered",
          () ->
              AgentStatus.load(state)
                  .filter(s -> s.lastHeartbeatAt().isAfter(beat.lastHeartbeatAt()))
                  .isPresent());
      assertEquals(1, frozen.accepted(), "the agent stays with the server that answers");
      assertEquals("ready", cluster.stateOf("box"));
    }

    TestCluster.Run list =
        cluster
            .cli(
                Map.of("OCEAN_SERVER", both, "OCEAN_TIMEOUT", "0.3"),
                cluster.userToken,
                "job",
                "list")
            .ok();
    assertEquals("", list.err());
    assertTrue(frozen.accepted() >= 2, "the CLI tried the frozen server first");
  }
}
