package dev.ocean.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ocean up} and {@code ocean down} without a release: flags, pid files, messages. */
class UpDownCommandTest {
  @TempDir Path home;

  private record Run(int exit, String err) {}

  private Run ocean(String... args) {
    StringWriter err = new StringWriter();
    CliContext ctx =
        new CliContext(
            Map.of(
                "HOME", home.toString(),
                "XDG_DATA_HOME", home.resolve("share").toString(),
                "XDG_CONFIG_HOME", home.resolve("config").toString()),
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            null,
            false);
    int exit = Cli.run(ctx, args);
    return new Run(exit, err.toString());
  }

  @Test
  void upRefusesAPortOutOfRangeNamingTheFlag() {
    Run r = ocean("up", "--port", "70000");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--port must be between 0 and 65535"), r.err());
  }

  @Test
  void upRefusesAListenAddressThatIsNoAddressNamingTheFlag() {
    Run r = ocean("up", "--listen", "not an ip");
    assertEquals(2, r.exit(), r.err());
    assertEquals(
        "Error: --listen must be an IP address such as 127.0.0.1, ::1 or 0.0.0.0, not 'not an"
            + " ip'.\n",
        r.err());
  }

  @Test
  void upRefusesAnUnknownRuntimeNamingTheFlag() {
    Run r = ocean("up", "--runtime", "lxc");
    assertEquals(2, r.exit(), r.err());
    assertTrue(r.err().contains("--runtime must be docker or process"), r.err());
  }

  @Test
  void downWithNothingStartedSaysSo() {
    Run r = ocean("down");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("Nothing to stop"), r.err());
  }

  @Test
  void downNamesTheProcessRunsThatKeepRunning() throws Exception {
    Path records =
        Files.createDirectories(home.resolve("share/ocean/agent/registrations/r1/process"));
    Process run = new ProcessBuilder("sleep", "300").start();
    try {
      String started = run.toHandle().info().startInstant().orElseThrow().toString();
      Files.writeString(
          records.resolve("12-3.run"),
          "runId=12-3\njobId=12\nrunIndex=3\npid=" + run.pid() + "\nstartedAt=" + started + "\n");
      // a run that ended: its pid is no process of that start time
      Files.writeString(
          records.resolve("12-4.run"),
          "runId=12-4\njobId=12\nrunIndex=4\npid="
              + run.pid()
              + "\nstartedAt=2020-01-01T00:00:00Z\n");

      Run r = ocean("down");
      assertEquals(0, r.exit(), r.err());
      assertTrue(r.err().contains("1 run (12/3) keeps running on this machine"), r.err());
      assertFalse(r.err().contains("12/4"), r.err());
    } finally {
      run.destroy();
    }
  }

  @Test
  void downNeverStopsAnUnrelatedProcessThatGotAStalePidFilesPid() throws Exception {
    Path data = Files.createDirectories(home.resolve("share/ocean"));
    // this JVM runs no dev.ocean.server.Main: the pid file outlived the server it named
    Files.writeString(data.resolve("ocean-server.pid"), ProcessHandle.current().pid() + "\n");
    Files.writeString(data.resolve("ocean-agent.pid"), "not a pid\n");

    Run r = ocean("down");
    assertEquals(0, r.exit(), r.err());
    assertTrue(r.err().contains("Nothing to stop"), r.err());
    assertFalse(Files.exists(data.resolve("ocean-server.pid")), "the stale pid file is gone");
  }

  @Test
  void resetStartsOverOnThePortLastUsed() throws Exception {
    Path data = Files.createDirectories(home.resolve("share/ocean"));
    Files.createDirectories(data.resolve("server"));
    Files.writeString(data.resolve("port"), "18431\n");

    // no release around this test: it stops at starting the server, after the reset
    Run r = ocean("up", "--reset");

    assertTrue(r.err().contains("Deleted the cluster's data"), r.err());
    assertEquals("18431", Files.readString(data.resolve("port")).strip(), "not back to 8080");
    assertFalse(Files.exists(data.resolve("server")), "the rest is deleted");
  }

  @Test
  void dockerWithoutASocketIsRefusedBeforeAnythingStarts() {
    Assumptions.assumeFalse(
        Files.exists(Path.of("/var/run/docker.sock"))
            || Files.exists(Path.of("/run/podman/podman.sock")),
        "this machine has a container engine socket");

    Run r = ocean("up", "--runtime", "docker");

    assertEquals(1, r.exit(), r.err());
    assertEquals(
        "Error: --runtime docker: no Docker or Podman socket answers on this machine.",
        r.err().strip());
    assertFalse(Files.exists(home.resolve("share/ocean/server")), "no server was started");
  }

  @Test
  void anotherRuntimeThanTheNodeJoinedWithIsRefusedNamingTheReset() throws Exception {
    // qa7 K15: `up --runtime docker` on a process-runtime cluster ran processes again, exit 0
    Path agent = Files.createDirectories(home.resolve("share/ocean/agent"));
    Files.writeString(
        agent.resolve("agent.json"),
        "{\"server\":\"http://127.0.0.1:18431\",\"runtime\":\"process\",\"runAs\":\"me\"}");

    Run r = ocean("up", "--runtime", "docker");

    assertEquals(2, r.exit(), r.err());
    assertEquals(
        "Error: node local of this cluster runs the process runtime; `ocean up --reset --runtime"
            + " docker` starts over with containers (and deletes the cluster's data).",
        r.err().strip());
    assertFalse(Files.exists(home.resolve("share/ocean/server")), "no server was started");
    assertTrue(
        Files.readString(agent.resolve("agent.json")).contains("\"runtime\":\"process\""),
        "the node is left as it was");
  }

  @Test
  void portTypedWinsOverThePortRememberedFromTheLastStart() throws Exception {
    Path data = Files.createDirectories(home.resolve("share/ocean"));
    Files.writeString(data.resolve("port"), "18431\n");
    Path agentJson = Files.createDirectories(data.resolve("agent")).resolve("agent.json");
    Files.writeString(agentJson, "{\"server\":\"http://127.0.0.1:18431\",\"nodeName\":\"local\"}");
    int free;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      free = s.getLocalPort();
    }

    // no release around this test: it stops at starting the server, after choosing the port
    ocean("up", "--port", Integer.toString(free));

    assertEquals(Integer.toString(free), Files.readString(data.resolve("port")).strip());
    // the cluster's agent is pointed at the new port too
    assertEquals(
        "http://127.0.0.1:" + free,
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(agentJson.toFile())
            .get("server")
            .asText());
  }

  @Test
  void aPortAnotherProgramListensOnIsRefusedBeforeTheServerStarts() throws Exception {
    try (java.net.ServerSocket taken =
        new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Run r = ocean("up", "--port", Integer.toString(taken.getLocalPort()));

      assertEquals(5, r.exit(), r.err());
      assertEquals(
          "Error: port "
              + taken.getLocalPort()
              + " on 127.0.0.1 is in use by another program; start the cluster on another one"
              + " with `ocean up --port P`.",
          r.err().strip());
      assertFalse(Files.exists(home.resolve("share/ocean/server")), "no server was started");
    }
  }

  @Test
  void listenTypedOnceIsTheDefaultOfTheNextPlainUp() throws Exception {
    int free;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      free = s.getLocalPort();
    }
    Path data = Files.createDirectories(home.resolve("share/ocean"));
    Path agentJson = Files.createDirectories(data.resolve("agent")).resolve("agent.json");
    // no release around this test: each up stops at starting the server, after choosing where
    ocean("up", "--listen", "127.0.0.2", "--port", Integer.toString(free));
    Files.writeString(agentJson, "{\"server\":\"http://127.0.0.1:" + free + "\"}");

    ocean("up");

    assertEquals("127.0.0.2", Files.readString(data.resolve("listen")).strip());
    assertEquals(
        "http://127.0.0.2:" + free,
        new com.fasterxml.jackson.databind.ObjectMapper()
            .readTree(agentJson.toFile())
            .get("server")
            .asText(),
        "the plain up kept --listen as it keeps --port");
  }

  @Test
  void resetIsRefusedWhileAProcessRunStillRunsAndNamesTheJobToCancel() throws Exception {
    // qa7 K14: --reset deleted the data and left the run's processes running, unowned
    Path records =
        Files.createDirectories(home.resolve("share/ocean/agent/registrations/r1/process"));
    Path server = Files.createDirectories(home.resolve("share/ocean/server"));
    Process run = new ProcessBuilder("sleep", "300").start();
    try {
      String started = run.toHandle().info().startInstant().orElseThrow().toString();
      Files.writeString(
          records.resolve("12-3.run"),
          "runId=12-3\njobId=12\nrunIndex=3\npid=" + run.pid() + "\nstartedAt=" + started + "\n");

      Run r = ocean("up", "--reset");

      assertEquals(5, r.exit(), r.err());
      assertEquals(
          "Error: job 12 is still running on this cluster, and --reset would leave its processes"
              + " running with nothing to stop them; `ocean job cancel 12` first (after `ocean up`"
              + " if the cluster is down), then `ocean up --reset`.",
          r.err().strip());
      assertTrue(Files.isDirectory(server), "nothing was deleted");
      assertTrue(run.isAlive());
    } finally {
      run.destroy();
    }
  }
}
