package dev.ocean.cli.daemon;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.Cli;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** Which command lines the daemon runs itself and which go to a JVM of their own. */
class ServedTest {
  private static boolean served(String... args) {
    return Served.served(Cli.parse(args), Map.of());
  }

  @Test
  void everyAllowlistedCommandExists() {
    for (String name : Served.COMMANDS) {
      CommandLine cmd = Cli.tree();
      String[] words = name.split(" ");
      for (int i = 1; i < words.length; i++) {
        cmd = cmd.getSubcommands().get(words[i]);
        assertNotNull(cmd, name + " is a command");
      }
    }
  }

  @Test
  void filesOnlyTheCallersProcessCanOpenSendTheCommandToAJvm() {
    // bash's <(gen) is /dev/fd/63 of the caller: the daemon would open its own
    assertTrue(
        Served.namesCallersFiles(new String[] {"job", "submit", "--from-file", "/dev/fd/63"}));
    assertTrue(Served.namesCallersFiles(new String[] {"job", "submit", "--from-file=/dev/stdin"}));
    assertTrue(Served.namesCallersFiles(new String[] {"ssh-key", "add", "/proc/self/fd/0"}));
    assertFalse(
        Served.namesCallersFiles(new String[] {"job", "submit", "--from-file", "jobs.jsonl"}));
    assertFalse(
        Served.namesCallersFiles(new String[] {"job", "submit", "--", "cat", "/dev/zero"}),
        "the job's own command runs on a node, not here");
  }

  @Test
  void printingCommandsAreServed() {
    assertTrue(served("job", "list"));
    assertTrue(served("-o", "json", "job", "get", "12"));
    assertTrue(
        served(
            "job", "submit", "--name", "a", "--machine-type", "m", "--image", "i", "--", "true"));
    assertTrue(served("logs", "12", "--tail", "5"));
    assertTrue(served("--version"));
    assertTrue(served("up", "--help"), "help of anything");
    assertTrue(served("job", "lsit"), "a usage error prints the same anywhere");
  }

  @Test
  void waitingPromptingAndTerminalCommandsRunInAJvm() {
    assertFalse(served("logs", "-f", "12"));
    assertFalse(
        served(
            "job",
            "submit",
            "--name",
            "a",
            "--machine-type",
            "m",
            "--image",
            "i",
            "--wait",
            "--",
            "true"));
    assertFalse(served("job", "wait", "12"));
    assertFalse(served("login", "--email", "a@example.com"), "it prompts for the password");
    assertFalse(served("instance", "ssh", "box"));
    assertFalse(served("top"));
    assertFalse(served("up"));
    assertFalse(served("daemon", "serve"));
    assertFalse(
        Served.served(Cli.parse("--version"), Map.of("OCEAN_STARTUP_MARKS", "1")),
        "start-up marks measure a JVM");
  }

  @Test
  void theCLocaleSendsUtf8AndUndecodableArgumentsToAJvm() {
    // the native client of a caller in the C locale names the codeset ANSI_X3.4-1968 (qa6 H11)
    org.junit.jupiter.api.Assertions.assertEquals(
        java.nio.charset.StandardCharsets.UTF_8, Connection.charset("ANSI_X3.4-1968"));
    assertTrue(Connection.damaged(new String[] {"job", "submit", "--", "echo", "\uFFFD"}));
    assertFalse(Connection.damaged(new String[] {"job", "submit", "--", "echo", "ünï"}));
  }
}
