package dev.ocean.agent.cmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.SystemdUnit;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean-agent run --install-service}: what {@code install.sh agent} runs again on a joined
 * systemd node to upgrade it in place (qa11 T1), writing the unit for the identity already there.
 */
class RunInstallServiceTest {
  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  private static synchronized Result agent(Map<String, String> env, String... args) {
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
  void runWritesTheUnitOfAJoinedStateDirectory() throws Exception {
    Path state = dir.resolve("state");
    new AgentConfig(
            "http://127.0.0.1:9",
            "n1",
            "ocn_secret",
            "process",
            null,
            null,
            5,
            null,
            null,
            "r1",
            null,
            null,
            null)
        .save(state);
    Path units = dir.resolve("units");

    Result r =
        agent(
            Map.of("OCEAN_SYSTEMD_DIR", units.toString()),
            "run",
            "--state-dir",
            state.toString(),
            "--install-service");

    assertEquals(0, r.exit(), r.toString());
    Path unit = units.resolve(SystemdUnit.NAME);
    assertTrue(r.out().contains("Wrote " + unit), r.out());
    assertTrue(
        Files.readString(unit).contains("run --state-dir"),
        "the unit runs this state directory: " + Files.readString(unit));
  }

  @Test
  void runInstallServiceWithoutAnIdentitySaysToJoinFirst() {
    Path units = dir.resolve("units");

    Result r =
        agent(
            Map.of("OCEAN_SYSTEMD_DIR", units.toString()),
            "run",
            "--state-dir",
            dir.resolve("empty").toString(),
            "--install-service");

    assertEquals(1, r.exit(), r.toString());
    assertTrue(r.err().contains("run `ocean-agent join` first"), r.err());
    assertFalse(Files.exists(units.resolve(SystemdUnit.NAME)), "no unit for no node");
  }
}
