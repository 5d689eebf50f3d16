package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.Joiner;
import dev.ocean.agent.facts.NodeFingerprint;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An agent state directory whose node an admin removed: {@code leave} clears it although the server
 * refuses the credential, {@code join} says what to do, and the directory joins again.
 */
class RemovedNodeStateTest {
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

  private Path register(String name) {
    Path state = dir.resolve(name);
    Joiner.join(
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
        state,
        NodeFingerprint.ofThisMachine(ENV));
    return state;
  }

  @Test
  void joinIntoAnOccupiedDirectorySaysToLeaveFirst() {
    Path state = register("box");

    TestCluster.Run r =
        InProcessAgent.run(
            ENV,
            "join",
            "--server",
            cluster.url(),
            "--token",
            cluster.joinToken("1h"),
            "--name",
            "box2",
            "--state-dir",
            state.toString());

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("'ocean-agent leave --state-dir " + state + "' first"), r.err());
  }

  @Test
  void leaveAfterRemovalClearsTheDirectorySoItCanJoinAgain() {
    Path state = register("box");
    cluster.admin("admin", "node", "remove", "box").ok();

    TestCluster.Run leave = InProcessAgent.run(ENV, "leave", "--state-dir", state.toString());

    assertEquals(0, leave.exit(), leave.err());
    assertTrue(leave.err().contains("the server no longer knows this node"), leave.err());
    assertTrue(Files.notExists(state.resolve(AgentConfig.FILE)));
    register("box");
    assertEquals("ready", cluster.stateOf("box"));
  }

  @Test
  void leaveRemovesEveryRegistrationsRunFilesAndItsScratchFolder() throws Exception {
    Path state = register("box");
    AgentConfig config = AgentConfig.load(state).orElseThrow();
    Path spool = Files.createDirectories(config.workDir(state).resolve("spool"));
    Files.writeString(spool.resolve("7-0.log"), "output");
    Path old = Files.createDirectories(state.resolve("registrations/0ld/process"));
    Files.writeString(old.resolve("3-0.exit"), "0");
    Path scratch =
        Files.createDirectories(
            Path.of(
                System.getProperty("java.io.tmpdir"), "ocean-runs-" + config.runLabel(), "7-0"));

    TestCluster.Run leave = InProcessAgent.run(ENV, "leave", "--state-dir", state.toString());

    assertEquals(0, leave.exit(), leave.err());
    assertTrue(Files.notExists(state.resolve("registrations")), "no run files are left behind");
    assertTrue(Files.notExists(scratch.getParent()), "the scratch folder is gone");
  }

  @Test
  void leaveWithTheServerAwayStillClearsTheDirectory() throws Exception {
    Path state = register("box");
    AgentConfig config = AgentConfig.load(state).orElseThrow();
    new AgentConfig(
            "http://127.0.0.1:1",
            config.nodeName(),
            config.credential(),
            config.runtime(),
            null,
            null,
            1,
            null,
            null,
            config.registration(),
            null,
            null,
            null)
        .save(state);

    TestCluster.Run leave = InProcessAgent.run(ENV, "leave", "--state-dir", state.toString());

    assertEquals(0, leave.exit(), leave.err());
    assertTrue(leave.err().contains("could not be reached"), leave.err());
    assertTrue(Files.notExists(state.resolve(AgentConfig.FILE)));
  }
}
