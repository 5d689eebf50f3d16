package dev.ocean.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.base.CliContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What {@code --help} shows, read as a user reads it (qa11 T5). */
class HelpTextsTest {
  record Out(int exit, String out, String err) {}

  private static Out run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx =
        new CliContext(
            Map.of("HOME", "/nonexistent"),
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            null,
            false);
    int exit = Cli.run(ctx, args);
    return new Out(exit, out.toString(), err.toString());
  }

  @Test
  void environmentLinesStayInTheirColumnAndNameTheDaemonIdleTime() {
    String help = run("--help").out();
    assertTrue(help.contains("\n  OCEAN_DAEMON_IDLE_SECONDS  seconds"), help);
    String env = help.substring(help.indexOf("Environment:"), help.indexOf("Exit codes:"));
    env.lines()
        .skip(1)
        .filter(l -> !l.isBlank())
        .forEach(l -> assertTrue(l.startsWith("  "), "indented like the rest: '" + l + "'"));
  }

  @Test
  void nodeAddKeepsTheDefaultKeyPathsWhole() {
    String help = run("node", "add", "--help").out();
    assertTrue(help.contains(" ~/.ssh)."), help);
    assertFalse(help.contains("~/.\n"), help);
  }

  @Test
  void adminSummaryNamesEveryGroupItHas() {
    String help = run("admin", "--help").out().replaceAll("\\s+", " ");
    assertTrue(help.contains("images, nodes, audit, backups."), help);
  }

  @Test
  void longCommandNamesWrapTheirUsageUnderTheirOptions() {
    Out r = run("admin", "quota-request", "approve", "--help");
    assertEquals(0, r.exit(), r.err());
    List<String> lines = r.out().lines().toList();
    String indent = " ".repeat("Usage: ocean admin quota-request approve ".length());
    assertTrue(lines.get(0).startsWith("Usage: ocean admin quota-request approve ["), r.out());
    assertTrue(lines.get(1).startsWith(indent + "["), "aligned under the options:\n" + r.out());
  }
}
