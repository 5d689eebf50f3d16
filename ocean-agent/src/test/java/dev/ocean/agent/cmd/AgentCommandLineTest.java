package dev.ocean.agent.cmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentStatus;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The {@code ocean-agent} command line itself: help on every command, and what status shows. */
class AgentCommandLineTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  /** Runs {@code ocean-agent ARGS} in this JVM, capturing what it prints. */
  private static Result agent(String... args) {
    return agentWith(Map.of(), args);
  }

  private static synchronized Result agentWith(Map<String, String> env, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream o = new ByteArrayOutputStream();
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try (PrintStream po = new PrintStream(o, true, StandardCharsets.UTF_8);
        PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      System.setOut(po);
      System.setErr(pe);
      int exit = AgentCommand.run(env, args);
      return new Result(
          exit, o.toString(StandardCharsets.UTF_8), e.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }

  @Test
  void everyCommandHasHelpThatExitsZero() {
    for (String command : List.of("join", "run", "status", "leave", "gpus")) {
      for (String flag : List.of("-h", "--help")) {
        Result r = agent(command, flag);
        assertEquals(0, r.exit(), command + " " + flag + ": " + r);
        assertTrue(r.out().startsWith("Usage: ocean-agent " + command), r.toString());
      }
      Result viaHelp = agent("help", command);
      assertEquals(0, viaHelp.exit(), viaHelp.toString());
      assertTrue(viaHelp.out().startsWith("Usage: ocean-agent " + command), viaHelp.toString());
    }
    Result top = agent("--help");
    assertEquals(0, top.exit(), top.toString());
    assertTrue(top.out().contains("help"), top.out());
  }

  @Test
  void aBadPortRangeOrAddressIsNamedByItsFlagBeforeAnythingElse() {
    Result range = agent("run", "--port-range", "80-90", "--state-dir", dir.toString());
    assertEquals(2, range.exit(), range.toString());
    assertTrue(range.err().startsWith("Error: --port-range must be LOW-HIGH within"), range.err());
    Result address =
        agent(
            "join",
            "--server",
            "http://127.0.0.1:9",
            "--token",
            "t",
            "--advertise-address",
            "not-an-ip",
            "--state-dir",
            dir.resolve("s").toString());
    assertEquals(2, address.exit(), address.toString());
    assertEquals(
        "Error: --advertise-address must be an IP address of this machine, not 'not-an-ip'.\n",
        address.err());
  }

  @Test
  void anUnknownCommandIsNamedWithTheCommandsThereAre() {
    Result r = agent("bogus");
    assertEquals(2, r.exit(), r.err());
    String err = r.err();
    assertTrue(err.startsWith("Error: 'ocean-agent' has no command 'bogus'; try one of "), err);
    assertTrue(err.contains("join") && err.contains("run"), err);
  }

  @Test
  void anExtraArgumentIsNamedInOneSentenceNotByAnIndex() {
    Result r = agent("leave", "--state-dir", dir.resolve("s").toString(), "extra");
    assertEquals(2, r.exit(), r.err());
    assertEquals(
        "Error: `ocean-agent leave` takes no arguments; unexpected 'extra'.\n"
            + "See 'ocean-agent leave --help'.\n",
        r.err());
  }

  @Test
  void aNumberThatIsNotOneIsNamedByItsFlag() {
    Result r =
        agent(
            "join",
            "--server",
            "http://127.0.0.1:9",
            "--token",
            "t",
            "--heartbeat",
            "soon",
            "--state-dir",
            dir.resolve("s").toString());
    assertEquals(2, r.exit(), r.toString());
    assertEquals(
        "Error: --heartbeat: 'soon' is not a whole number.\nSee 'ocean-agent join --help'.\n",
        r.err());
  }

  @Test
  void aMissingCaCertFileIsAUsageErrorNamingTheFlag() {
    Path missing = dir.resolve("nope.pem");
    Result r =
        agent(
            "join",
            "--server",
            "https://127.0.0.1:9",
            "--token",
            "t",
            "--ca-cert",
            missing.toString(),
            "--state-dir",
            dir.resolve("s").toString());
    assertEquals(2, r.exit(), r.toString());
    assertEquals(
        "Error: --ca-cert: the CA certificate file " + missing + " does not exist.\n", r.err());
  }

  @Test
  void runTakesACaCertToAndNamesAMissingOne() {
    Path missing = dir.resolve("nope.pem");
    Result r =
        agent("run", "--ca-cert", missing.toString(), "--state-dir", dir.resolve("s").toString());
    assertEquals(2, r.exit(), r.toString());
    assertEquals(
        "Error: --ca-cert: the CA certificate file " + missing + " does not exist.\n", r.err());
    Result empty = agent("run", "--ca-cert", "", "--state-dir", dir.resolve("s").toString());
    assertEquals(2, empty.exit(), empty.toString());
    assertEquals("Error: --ca-cert must name a PEM file, not be empty.\n", empty.err());
  }

  @Test
  void aSentenceEndingInAQuestionGetsNoFullStop() {
    assertEquals("is it https?", AgentCommand.sentence("is it https?"));
    assertEquals("it is gone.", AgentCommand.sentence("it is gone"));
  }

  @Test
  void statusWithoutAJoinPointsAtTheAgentOceanUpStarted() {
    Path up = dir.resolve("data/ocean/agent");
    new AgentConfig(
            "http://127.0.0.1:9",
            "local",
            "secret",
            "process",
            null,
            null,
            5,
            null,
            null,
            null,
            null,
            null,
            null)
        .save(up);
    Path nothing = dir.resolve("default-state");
    Result r =
        agentWith(
            Map.of(
                "OCEAN_AGENT_STATE", nothing.toString(),
                "XDG_DATA_HOME", dir.resolve("data").toString()),
            "status");
    assertEquals(3, r.exit(), r.toString());
    assertEquals(
        "Not joined: no node identity in "
            + nothing
            + "; the agent `ocean up` started keeps its state in "
            + up
            + " (--state-dir "
            + up
            + ").\n",
        r.out());
  }

  @Test
  void statusShowsTheLastHeartbeatAsTheCliPrintsTimes() {
    Path state = dir.resolve("state");
    new AgentConfig(
            "http://127.0.0.1:9",
            "gpu-7",
            "secret",
            "process",
            null,
            null,
            5,
            null,
            null,
            null,
            null,
            null,
            null)
        .save(state);
    Instant beat = Instant.parse("2020-01-15T09:00:07.123456789Z");
    new AgentStatus(beat, "ready", null, List.of()).save(state);

    Result r = agent("status", "--state-dir", state.toString());
    assertEquals(0, r.exit(), r.toString());
    String line =
        r.out().lines().filter(l -> l.startsWith("last heartbeat")).findFirst().orElseThrow();
    assertTrue(line.matches("last heartbeat +2020-01-15 09:00 UTC \\(\\d+d ago\\)"), line);
    assertFalse(r.out().contains("T09:00:07"), "no raw ISO time: " + r.out());
  }
}
