package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ocean-agent} commands that end by themselves, run in-process against a real server. */
class AgentCommandE2ETest {
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

  @Test
  void joinWithInstallServiceWritesTheUnitInsteadOfRunning() throws Exception {
    Map<String, String> env = new HashMap<>(Agents.env("h100x8"));
    Path units = dir.resolve("systemd");
    env.put("OCEAN_SYSTEMD_DIR", units.toString());
    Path state = dir.resolve("state");
    TestCluster.Run r =
        InProcessAgent.run(
            env,
            "join",
            "--server",
            cluster.url(),
            "--token",
            cluster.joinToken("1h"),
            "--name",
            "svc-box",
            "--state-dir",
            state.toString(),
            "--install-service");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.out().contains("Joined " + cluster.url() + " as node svc-box."), r.out());
    Path unit = units.resolve("ocean-agent.service");
    assertTrue(r.out().contains("Wrote " + unit + "."), r.out());
    List<String> lines = Files.readAllLines(unit);
    assertTrue(
        lines.contains(
            "ExecStart=/opt/ocean/bin/ocean-agent run --state-dir " + state.toAbsolutePath()),
        String.join("\n", lines));
    assertTrue(lines.contains("Restart=always"), String.join("\n", lines));
    assertTrue(Files.exists(state.resolve("agent.json")));
    assertNotNull(cluster.stateOf("svc-box"), "the node joined");
  }

  @Test
  void joinRefusesAStateDirThatAlreadyHasANode() throws Exception {
    Map<String, String> env = Agents.env("rtx4090");
    Path state = dir.resolve("state");
    Map<String, String> withUnits = new HashMap<>(env);
    withUnits.put("OCEAN_SYSTEMD_DIR", dir.resolve("systemd").toString());
    String[] join = {
      "join",
      "--server",
      cluster.url(),
      "--token",
      cluster.joinToken("1h"),
      "--name",
      "one",
      "--state-dir",
      state.toString(),
      "--install-service"
    };
    assertEquals(0, InProcessAgent.run(withUnits, join).exit());
    join[6] = "two";
    TestCluster.Run again = InProcessAgent.run(withUnits, join);
    assertEquals(5, again.exit(), again.err());
    assertTrue(again.err().contains("belongs to node one, which"), again.err());
    assertEquals(null, cluster.stateOf("two"));
  }

  @Test
  void commandsWithoutAnIdentitySaySo() {
    Map<String, String> env = Agents.env("rtx4090");
    String state = dir.resolve("empty").toString();
    TestCluster.Run status = InProcessAgent.run(env, "status", "--state-dir", state);
    assertEquals(3, status.exit());
    assertTrue(status.out().contains("Not joined"), status.out());
    TestCluster.Run run = InProcessAgent.run(env, "run", "--state-dir", state);
    assertEquals(1, run.exit());
    assertTrue(run.err().contains("run `ocean-agent join` first"), run.err());
    TestCluster.Run leave = InProcessAgent.run(env, "leave", "--state-dir", state);
    assertEquals(0, leave.exit(), "nothing to leave is not a failure");
    assertTrue(leave.out().contains("Nothing to leave: no node identity in"), leave.out());
  }

  @Test
  void aMissingJoinTokenIsNamedAsTheFlag() {
    TestCluster.Run r =
        InProcessAgent.run(
            Agents.env("rtx4090"),
            "join",
            "--server",
            cluster.url(),
            "--token",
            "",
            "--state-dir",
            dir.resolve("s").toString());
    assertEquals(2, r.exit(), r.err());
    assertEquals("Error: --token is empty.\n", r.err());
  }

  @Test
  void badSettingsAreRefusedBeforeJoining() {
    Map<String, String> env = Agents.env("rtx4090");
    String token = cluster.joinToken("1h");
    Path state = dir.resolve("bad");
    TestCluster.Run beat =
        InProcessAgent.run(
            env,
            "join",
            "--server",
            cluster.url(),
            "--token",
            token,
            "--heartbeat",
            "0",
            "--state-dir",
            state.toString());
    assertEquals(2, beat.exit(), beat.err());
    assertTrue(beat.err().contains("--heartbeat must be between 1 and 3600"), beat.err());
    TestCluster.Run who =
        InProcessAgent.run(
            env,
            "join",
            "--server",
            cluster.url(),
            "--token",
            token,
            "--runtime",
            "process",
            "--run-as",
            "no-such-account-here",
            "--state-dir",
            state.toString());
    assertEquals(2, who.exit(), who.err());
    assertTrue(who.err().contains("--run-as no-such-account-here"), who.err());
    assertTrue(cluster.nodes().isEmpty(), "nothing registered");
    assertFalse(Files.exists(state.resolve("agent.json")));
  }

  @Test
  void badRuntimeIsAUsageError() {
    TestCluster.Run r =
        InProcessAgent.run(
            Agents.env("rtx4090"),
            "join",
            "--server",
            cluster.url(),
            "--token",
            "x",
            "--runtime",
            "lxc",
            "--state-dir",
            dir.resolve("s").toString());
    assertEquals(2, r.exit());
    assertTrue(r.err().contains("--runtime must be docker or process"), r.err());
    assertEquals(List.of(), cluster.nodes());
  }

  @Test
  void statusKeepsTheLastHeartbeatAfterTheServerRefusesTheNode() throws Exception {
    Path state = dir.resolve("beating");
    try (Agents agents = new Agents(dir.resolve("logs"))) {
      Process agent =
          agents.start(
              "rtx4090",
              "beating",
              "join",
              "--server",
              cluster.url(),
              "--token",
              cluster.joinToken("1h"),
              "--name",
              "beating",
              "--runtime",
              "process",
              "--state-dir",
              state.toString(),
              "--heartbeat",
              "1");
      Map<String, String> env = Agents.env("rtx4090");
      String beat =
          Poll.until(
              Duration.ofSeconds(90),
              "the agent heartbeats",
              () -> {
                String line =
                    heartbeatLine(
                        InProcessAgent.run(env, "status", "--state-dir", state.toString()));
                return line.isEmpty() || line.contains("never") ? null : line;
              });
      assertTrue(
          beat.matches("last heartbeat +\\d{4}-\\d\\d-\\d\\d \\d\\d:\\d\\d UTC \\(\\d+s ago\\)"),
          "shown as the CLI shows times: " + beat);

      cluster.admin("admin", "node", "remove", "beating").ok();
      assertTrue(agent.waitFor(60, TimeUnit.SECONDS), "the refused agent stops");
      TestCluster.Run after = InProcessAgent.run(env, "status", "--state-dir", state.toString());
      assertFalse(heartbeatLine(after).contains("never"), after.out());
      assertTrue(after.out().contains("no longer accepts this node's credential"), after.out());
    }
  }

  @Test
  void oneAgentPerStateDirectoryAndLeaveStopsIt() throws Exception {
    Path state = dir.resolve("locked");
    try (Agents agents = new Agents(dir.resolve("logs"))) {
      Process first =
          agents.start(
              "rtx4090",
              "first",
              "join",
              "--server",
              cluster.url(),
              "--token",
              cluster.joinToken("1h"),
              "--name",
              "locked",
              "--state-dir",
              state.toString(),
              "--heartbeat",
              "1");
      Poll.check(
          Duration.ofSeconds(90),
          "the node is ready",
          () -> "ready".equals(cluster.stateOf("locked")));
      // the server counts the node from its registration, a moment before the agent stores it
      Poll.check(
          Duration.ofSeconds(30),
          "the agent has stored its identity",
          () -> Files.exists(state.resolve("agent.json")));
      Map<String, String> env = Agents.env("rtx4090");
      TestCluster.Run second = InProcessAgent.run(env, "run", "--state-dir", state.toString());
      assertEquals(5, second.exit(), second.err());
      assertTrue(
          second.err().contains("an agent already runs with the state directory")
              && second.err().contains("(pid " + first.pid() + ")"),
          second.err());
      assertTrue(first.isAlive(), "the first agent keeps running");

      TestCluster.Run leave = InProcessAgent.run(env, "leave", "--state-dir", state.toString());
      assertEquals(0, leave.exit(), leave.err());
      assertTrue(
          leave.out().contains("Stopped the agent that ran here (pid " + first.pid() + ")"),
          leave.out());
      assertTrue(first.waitFor(30, TimeUnit.SECONDS), "leave stopped the running agent");
      assertEquals(null, cluster.stateOf("locked"));
    }
  }

  private static String heartbeatLine(TestCluster.Run status) {
    return status.out().lines().filter(l -> l.startsWith("last heartbeat")).findFirst().orElse("");
  }

  @Test
  void gpusPrintsOnlyTheReportOnStdoutAndLogsOnStderr() throws Exception {
    List<String> argv = new java.util.ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElseThrow());
    argv.addAll(Agents.JVM_OPTIONS);
    argv.addAll(
        List.of("-cp", System.getProperty("java.class.path"), "dev.ocean.agent.Main", "gpus"));
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectOutput(dir.resolve("out").toFile())
            .redirectError(dir.resolve("err").toFile());
    pb.environment().clear();
    pb.environment().putAll(Agents.env("nodriver"));
    Process p = pb.start();
    assertTrue(p.waitFor(60, TimeUnit.SECONDS), "gpus ends");
    String out = Files.readString(dir.resolve("out"));
    assertEquals(0, p.exitValue(), out + Files.readString(dir.resolve("err")));
    assertTrue(out.startsWith("host "), "the report is all there is on stdout:\n" + out);
    assertFalse(out.contains("WARN") || out.contains("INFO") || out.contains("[main]"), out);
    assertTrue(out.contains("gpus "), out);
  }
}
