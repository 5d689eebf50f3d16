package dev.ocean.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.cli.base.CliContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** A whole-number flag tells a number too large for it apart from text that is no number. */
class WholeNumberFlagsTest {
  @Test
  void aNumberBeyondTheFlagsRangeIsCalledTooLargeNotNoNumber() {
    assertEquals(
        "Error: --hours: '2147483648' is too large a number.",
        usageError("instance", "extend", "dev", "--hours", "2147483648"));
    assertEquals(
        "Error: --hours: '-99999999999' is too small a number.",
        usageError("instance", "extend", "dev", "--hours", "-99999999999"));
    assertEquals(
        "Error: --hours: 'two' is not a whole number.",
        usageError("instance", "extend", "dev", "--hours", "two"));
  }

  @Test
  void digitsOfOtherScriptsAreNotTakenForANumber() {
    // Arabic-Indic ten and three: Integer.parseInt reads them as 10 and 3
    assertEquals(
        "Error: --count: '\u0661\u0660' is not a whole number.",
        usageError(
            "quota", "request", "--machine-type", "g1", "--count", "\u0661\u0660", "--days", "1"));
    assertEquals(
        "Error: --repeat: '\u0663' is not a whole number.",
        usageError(
            "job",
            "submit",
            "--machine-type",
            "g1",
            "--image",
            "busybox",
            "--repeat",
            "\u0663",
            "--",
            "true"));
  }

  /** The first line on stderr of a command line that must fail as a usage error (exit 2). */
  private static String usageError(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx =
        new CliContext(
            Map.of("NO_COLOR", "1"),
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            null,
            false);
    assertEquals(2, Cli.run(ctx, args), err.toString());
    return err.toString().lines().findFirst().orElse("");
  }
}
