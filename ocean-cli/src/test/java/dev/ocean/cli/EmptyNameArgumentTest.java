package dev.ocean.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.cli.base.CliContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An empty NAME argument is a usage error named after the argument, before any request: it would
 * otherwise GET the list route or hit a route that does not exist.
 */
class EmptyNameArgumentTest {
  @TempDir Path home;

  @Test
  void anEmptyNameIsRefusedBeforeAnyRequest() {
    assertEquals("Error: NAME must not be empty.", usageError("volume", "get", ""));
    assertEquals("Error: NAME must not be empty.", usageError("volume", "delete", ""));
    assertEquals("Error: NAME must not be empty.", usageError("node", "get", ""));
    assertEquals("Error: NAME must not be empty.", usageError("instance", "get", ""));
    assertEquals("Error: EMAIL must not be empty.", usageError("admin", "user", "disable", ""));
  }

  @Test
  void signupRefusesAMalformedEmailNamingTheFlagBeforeAskingThePassword() {
    assertEquals(
        "Error: --email must be a valid address such as ada@example.com, not 'a@b'.",
        usageError("signup", "--email", "a@b", "--password-stdin"));
  }

  @Test
  void anEmptyWordInAJobsCommandIsStillAllowed() {
    StringWriter err = new StringWriter();
    int code =
        Cli.run(
            context(err),
            "job",
            "submit",
            "--name",
            "j",
            "--machine-type",
            "cpu.small",
            "--image",
            "host",
            "--",
            "sh",
            "-c",
            "");
    // reaches the (unreachable) server instead of refusing the empty word
    assertEquals(1, code, err.toString());
  }

  private CliContext context(StringWriter err) {
    return new CliContext(
        Map.of(
            "NO_COLOR", "1",
            "HOME", home.toString(),
            "XDG_CONFIG_HOME", home.toString(),
            "OCEAN_SERVER", "http://127.0.0.1:9",
            "OCEAN_TOKEN", "t"),
        new ByteArrayInputStream(new byte[0]),
        new PrintWriter(new StringWriter()),
        new PrintWriter(err),
        null,
        false);
  }

  /** The first line on stderr of a command line that must fail as a usage error (exit 2). */
  private String usageError(String... args) {
    StringWriter err = new StringWriter();
    assertEquals(2, Cli.run(context(err), args), err.toString());
    return err.toString().lines().findFirst().orElse("");
  }
}
