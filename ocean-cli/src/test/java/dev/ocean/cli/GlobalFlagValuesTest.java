package dev.ocean.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.base.CliContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.HashMap;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * Flag values that can never work are usage errors naming the flag (or variable), not messages of
 * the HTTP library, the server's field name or a path resolved to the working directory.
 */
class GlobalFlagValuesTest {
  private static final String SERVER = "http://127.0.0.1:9";

  @Test
  void aTokenWithNonAsciiOrControlCharactersNamesTheFlag() {
    String refusal =
        "--token holds characters no Ocean token has (tokens are printable ASCII); run `ocean"
            + " login` or copy the token again.";
    assertEquals("Error: " + refusal, usageError(Map.of(), "--token", "名前ü", "whoami"));
    assertEquals("Error: " + refusal, usageError(Map.of(), "--token", "\u001b[31mRED", "whoami"));
    assertEquals(
        "Error: " + refusal.replace("--token", "OCEAN_TOKEN"),
        usageError(Map.of("OCEAN_TOKEN", "to ken"), "whoami"));
  }

  @Test
  void anEmptyCaCertIsRefusedNotReadAsTheWorkingDirectory() {
    assertEquals(
        "Error: --ca-cert must name a PEM file, not be empty.",
        usageError(Map.of("OCEAN_TOKEN", "tok"), "--ca-cert", "", "whoami"));
  }

  @Test
  void aMissingCaCertIsABadFlagValue() {
    String flag =
        usageError(Map.of("OCEAN_TOKEN", "tok"), "--ca-cert", "/nonexistent/ca.pem", "whoami");
    String env =
        usageError(Map.of("OCEAN_TOKEN", "tok", "OCEAN_CA_CERT", "/nonexistent/ca.pem"), "whoami");

    assertTrue(flag.startsWith("Error: --ca-cert: ") && flag.contains("/nonexistent/ca.pem"), flag);
    assertTrue(env.startsWith("Error: OCEAN_CA_CERT: "), env);
  }

  @Test
  void rangedFlagsCheckedOnlyByTheServerOrNotAtAllNameTheFlag() {
    Map<String, String> env = Map.of("OCEAN_TOKEN", "tok");
    assertEquals(
        "Error: --interval must be between 1 and 3600 seconds, not -1.",
        usageError(env, "top", "--once", "--interval", "-1"));
    assertEquals(
        "Error: --limit must be between 1 and 1000, not -1.",
        usageError(env, "admin", "audit", "--limit", "-1"));
  }

  @Test
  void anEmptyUserIsRefusedInsteadOfMeaningOnesOwnInstance() {
    assertEquals(
        "Error: --user must name the owner's email, not be empty.",
        usageError(Map.of("OCEAN_TOKEN", "tok"), "instance", "get", "dev", "--user", ""));
  }

  /** The first line on stderr of a command line that must fail as a usage error (exit 2). */
  private static String usageError(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> all = new HashMap<>(env);
    all.put("OCEAN_SERVER", SERVER);
    all.put("NO_COLOR", "1");
    all.put("XDG_CONFIG_HOME", "/nonexistent-ocean-test");
    CliContext ctx =
        new CliContext(
            all,
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            null,
            false);
    assertEquals(2, Cli.run(ctx, args), err.toString());
    return err.toString().lines().findFirst().orElse("");
  }
}
