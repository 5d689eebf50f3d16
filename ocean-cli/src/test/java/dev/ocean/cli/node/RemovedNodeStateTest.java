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
 * refuses the credential, {@code join} replaces it (or, while the node is still known or its server
 * cannot be asked, says what to do), and the directory joins again.
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

    assertEquals(5, r.exit(), r.err());
    assertTrue(r.err().contains("which " + cluster.url() + " still has"), r.err());
    assertTrue(r.err().contains("'ocean-agent leave --state-dir " + state + "' first"), r.err());
    assertEquals(null, cluster.stateOf("box2"), "the token was not spent on a second node");
  }

  @Test
  void joinAfterRemovalReplacesTheDeadIdentityWithOneCommand() throws Exception {
    Path state = register("box");
    String oldCredential = AgentConfig.load(state).orElseThrow().credential();
    cluster.admin("admin", "node", "remove", "box").ok();

    TestCluster.Run r = joinAgain(state, cluster.url());

    assertEquals(0, r.exit(), r.err());
    assertTrue(
        r.out().contains("Node box is no longer known to " + cluster.url()), "says so: " + r.out());
    assertTrue(r.out().contains("Joined " + cluster.url() + " as node box."), r.out());
    assertEquals("ready", cluster.stateOf("box"));
    AgentConfig now = AgentConfig.load(state).orElseThrow();
    assertTrue(!now.credential().equals(oldCredential), "a new credential is stored");
  }

  /** A process that holds an agent's lock like an agent that has not heard from its server. */
  private static final String LOCKER =
      """
      import java.nio.channels.FileChannel;
      import java.nio.file.Path;
      import java.nio.file.StandardOpenOption;

      public class Locker {
        public static void main(String[] a) throws Exception {
          try (FileChannel ch =
                  FileChannel.open(
                      Path.of(a[0]), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
              var lock = ch.lock()) {
            ch.truncate(0);
            ch.write(java.nio.ByteBuffer.wrap(String.valueOf(ProcessHandle.current().pid()).getBytes()));
            System.out.println("locked");
            Thread.sleep(Long.parseLong(a[1]));
          }
        }
      }
      """;

  @Test
  void joinWaitsForTheAgentThatHasNotHeardItsNodeIsGoneThenReplacesIt() throws Exception {
    Path state = register("box");
    cluster.admin("admin", "node", "remove", "box").ok();
    Path source = Files.writeString(dir.resolve("Locker.java"), LOCKER);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder =
        new ProcessBuilder(java, source.toString(), state.resolve("agent.lock").toString(), "3000")
            .redirectErrorStream(true)
            .start();
    try {
      var lines =
          new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
      assertEquals("locked", lines.readLine(), "the stand-in agent holds the directory");

      TestCluster.Run r = joinAgain(state, cluster.url());

      assertEquals(0, r.exit(), r.err());
      assertTrue(
          r.out().contains("(pid " + holder.pid() + ") has the old identity of node box"), r.out());
      assertTrue(r.out().contains("Joined " + cluster.url() + " as node box."), r.out());
      assertEquals("ready", cluster.stateOf("box"));
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void joinStillRefusesADirectoryWhoseLiveAgentIsAMember() throws Exception {
    Path state = register("box");
    Path source = Files.writeString(dir.resolve("Locker.java"), LOCKER);
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process holder =
        new ProcessBuilder(java, source.toString(), state.resolve("agent.lock").toString(), "60000")
            .redirectErrorStream(true)
            .start();
    try {
      var lines =
          new java.io.BufferedReader(new java.io.InputStreamReader(holder.getInputStream()));
      assertEquals("locked", lines.readLine());

      TestCluster.Run r = joinAgain(state, cluster.url());

      assertEquals(5, r.exit(), r.err());
      assertTrue(r.err().contains("(pid " + holder.pid() + ")"), r.err());
      assertTrue(holder.isAlive(), "a member's agent is left alone");
    } finally {
      holder.destroyForcibly();
    }
  }

  @Test
  void runOfARemovedNodeSaysSoBeforeClaimingToRunAsIt() {
    Path state = register("box");
    cluster.admin("admin", "node", "remove", "box").ok();

    TestCluster.Run r = InProcessAgent.run(ENV, "run", "--state-dir", state.toString());

    assertEquals(1, r.exit(), r.err());
    assertTrue(r.err().contains("node box is no longer known to " + cluster.url()), r.err());
    assertTrue(r.err().contains("'ocean-agent join --state-dir " + state), r.err());
    assertTrue(!r.out().contains("Running as node box"), "no claim to run: " + r.out());
  }

  @Test
  void joinAfterAServerResetReplacesTheIdentityThatServerNeverIssued() throws Exception {
    Path state = dir.resolve("box");
    // what a reset server on the same address meets: a credential it has no record of
    new AgentConfig(
            cluster.url(),
            "local",
            "ocn_from-the-data-before-the-reset",
            "process",
            null,
            null,
            1,
            null,
            null,
            "0ld",
            null,
            null,
            null)
        .save(state);
    Path old = Files.createDirectories(state.resolve("registrations/0ld/process"));
    Files.writeString(old.resolve("3-0.exit"), "0");

    TestCluster.Run r = joinAgain(state, cluster.url());

    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("Node local is no longer known to"), r.out());
    assertEquals("ready", cluster.stateOf("box"));
    assertTrue(Files.notExists(old), "the old registration's run files are gone");
  }

  @Test
  void joinWhenTheOldServerCannotBeAskedRefusesNamingLeave() throws Exception {
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

    TestCluster.Run r = joinAgain(state, cluster.url());

    assertEquals(5, r.exit(), r.err());
    assertTrue(r.err().contains("cannot be asked whether it still has that node"), r.err());
    assertTrue(r.err().contains("'ocean-agent leave --state-dir " + state + "' first"), r.err());
    assertEquals(
        "http://127.0.0.1:1", AgentConfig.load(state).orElseThrow().server(), "identity kept");
  }

  /** {@code ocean-agent join} into {@code state} with a new token, as a unit (so it returns). */
  private TestCluster.Run joinAgain(Path state, String server) {
    Map<String, String> env = new java.util.HashMap<>(ENV);
    env.put("OCEAN_SYSTEMD_DIR", dir.resolve("units").toString());
    return InProcessAgent.run(
        env,
        "join",
        "--server",
        server,
        "--token",
        cluster.joinToken("1h"),
        "--name",
        "box",
        "--runtime",
        "process",
        "--state-dir",
        state.toString(),
        "--install-service");
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
