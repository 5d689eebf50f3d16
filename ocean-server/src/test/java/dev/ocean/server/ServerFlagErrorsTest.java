package dev.ocean.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** Flags that can never work stop ocean-server with one sentence naming them, not a stack trace. */
class ServerFlagErrorsTest {
  @TempDir Path dir;

  private record Out(int code, String err) {}

  private Out run(String... args) {
    StringWriter err = new StringWriter();
    CommandLine cmd = ServerCommandLine.of(new Main());
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute(args);
    return new Out(code, err.toString());
  }

  @Test
  void aMissingAdminPasswordFileIsOneSentence() {
    Path missing = dir.resolve("nonexistent");
    Out o =
        run(
            "--port",
            "0",
            "--data",
            dir.resolve("data").toString(),
            "--admin-email",
            "a@b.example",
            "--admin-password-file",
            missing.toString());
    assertEquals(2, o.code(), o.err());
    assertEquals(
        "Error: ocean-server could not start: --admin-password-file "
            + missing
            + " does not exist.\n",
        o.err());
    assertFalse(Files.exists(dir.resolve("data")), "nothing created");
  }

  @Test
  void emptyTlsFlagsAreRefusedNotTakenForPlainHttp() {
    Out o =
        run(
            "--port",
            "0",
            "--data",
            dir.resolve("data").toString(),
            "--tls-cert",
            "",
            "--tls-key",
            "");
    assertEquals(2, o.code(), o.err());
    assertEquals("Error: --tls-cert must name a PEM file, not be empty.\n", o.err());
    assertFalse(Files.exists(dir.resolve("data")), "nothing created");
  }

  @Test
  void aPortOutOfRangeIsAUsageErrorBeforeAnythingStarts() {
    Out o = run("--port", "-1", "--data", dir.resolve("data").toString());
    assertEquals(2, o.code(), o.err());
    assertEquals("Error: --port must be between 0 and 65535, not -1.\n", o.err());
    assertFalse(Files.exists(dir.resolve("data")), "no database was migrated");
  }

  @Test
  void aWeakPasswordFileIsBlamedOnTheFileNotOnTheVariable() throws Exception {
    Path pw = Files.writeString(dir.resolve("pw"), "weak\n");
    Out o =
        run(
            "--port",
            "0",
            "--data",
            dir.resolve("data").toString(),
            "--admin-email",
            "a@b.example",
            "--admin-password-file",
            pw.toString());
    assertEquals(2, o.code(), o.err());
    assertEquals(
        "Error: ocean-server could not start: the password in --admin-password-file "
            + pw
            + " is not acceptable: password must be at least 8 characters long.\n",
        o.err());
    assertFalse(Files.exists(dir.resolve("data")), "nothing created");
  }

  @Test
  void aWordThatIsNoCommandIsNamedNotCountedByIndex() {
    Out o = run("nope");
    assertEquals(2, o.code(), o.err());
    assertEquals(
        "Error: 'ocean-server' has no command 'nope'; try one of backup, restore, help.\n"
            + "See 'ocean-server --help'.\n",
        o.err());
  }
}
