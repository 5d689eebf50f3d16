package dev.ocean.cli.node;

import dev.ocean.agent.cmd.AgentCommand;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * Runs {@code ocean-agent ARGS} in this JVM for the cases that end quickly (refusals, errors). The
 * agent's commands print to {@code System.out} and {@code System.err}, so both are swapped for the
 * run; tests in this module run one at a time, which keeps that safe.
 */
final class InProcessAgent {
  private InProcessAgent() {}

  static synchronized TestCluster.Run run(Map<String, String> env, String... args) {
    PrintStream out = System.out;
    PrintStream err = System.err;
    ByteArrayOutputStream outBytes = new ByteArrayOutputStream();
    ByteArrayOutputStream errBytes = new ByteArrayOutputStream();
    try (PrintStream o = new PrintStream(outBytes, true, StandardCharsets.UTF_8);
        PrintStream e = new PrintStream(errBytes, true, StandardCharsets.UTF_8)) {
      System.setOut(o);
      System.setErr(e);
      int exit = AgentCommand.run(env, args);
      o.flush();
      e.flush();
      return new TestCluster.Run(
          exit,
          outBytes.toString(StandardCharsets.UTF_8),
          errBytes.toString(StandardCharsets.UTF_8));
    } finally {
      System.setOut(out);
      System.setErr(err);
    }
  }
}
