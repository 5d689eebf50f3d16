package dev.ocean.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.dist.Exec.Result;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The resident CLI daemon behind {@code bin/ocean}, over the built release against a real server:
 * what it serves prints byte for byte what a JVM of its own prints, with the same exit code; what
 * it does not serve runs in a JVM. Each test has its own daemon ({@link UserDaemon}).
 */
class DaemonIT {
  private static final String KEY_ONE =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIE4w3ggOTEg79dU7/roDVDcBQD03RYzKXaomRbIG9r8R one@test";
  private static final String KEY_TWO =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAINiCjz3cOvr2tYe2W8YKJe/fymBnSOUv2kZzkhEgvTjF two@test";

  @TempDir static Path shared;
  private static ServerProcess server;
  private static Map<String, String> base;

  @TempDir Path work;
  private UserDaemon daemon;

  @BeforeAll
  static void serverWithAPendingJob() throws Exception {
    server =
        ServerProcess.start(
            UserDaemon.bin("ocean-server"), shared.resolve("data"), "a@example.com", "A-pass-1!");
    base =
        Map.of(
            "XDG_CONFIG_HOME", shared.resolve("config").toString(),
            "OCEAN_SERVER", server.url(),
            "NO_COLOR", "1");
    setup("A-pass-1!\n", "login --email a@example.com --password-stdin");
    setup("", "admin machine-type create cpu.small --cpus 1 --memory 1 --gpus 0");
    setup("", "admin image add host local/host --description", "hôte à café");
    setup("", "admin quota grant a@example.com --machine-type cpu.small --count 10 --days 1");
    setup("", "job submit --name first --machine-type cpu.small --image host -- true");
  }

  @AfterAll
  static void stopServer() throws InterruptedException {
    if (server != null) {
      server.close();
    }
  }

  @BeforeEach
  void ownDaemon() throws Exception {
    daemon = new UserDaemon(work, base);
  }

  @AfterEach
  void stopDaemon() {
    daemon.stop();
  }

  @Test
  void aServedCommandPrintsWhatItsOwnJvmPrints() throws Exception {
    Result first = daemon.ocean("job", "list");
    assertEquals(0, first.exit(), first.describe());
    daemon.await(daemon.env, UserDaemon.bin("ocean"));

    String[][] commands = {
      {"job", "list"},
      {"image", "list"},
      {"-o", "json", "job", "list", "--all"},
      {"job", "get", "999999"},
      {"job", "list", "--no-such-flag"},
      {"job", "--help"},
      {"--version"}
    };
    // C: the JVM prints '?' for what ASCII lacks, and so must the daemon
    for (String locale : new String[] {"C.UTF-8", "C"}) {
      Map<String, String> inLocale = new HashMap<>(daemon.env);
      inLocale.put("LC_ALL", locale);
      for (String[] command : commands) {
        Result served = Exec.run(work, inLocale, "", UserDaemon.command(command));
        Result jvm = daemon.jvm(Map.of("LC_ALL", locale), command);
        assertEquals(jvm.stdout(), served.stdout(), locale + ": " + served.describe());
        assertEquals(jvm.stderr(), served.stderr(), locale + ": " + served.describe());
        assertEquals(jvm.exit(), served.exit(), locale + ": " + served.describe());
      }
    }
    assertTrue(
        daemon.ocean("image", "list").stdout().contains("hôte à café"),
        "the description as typed, in a UTF-8 locale");
    assertTrue(daemon.ocean("job", "list").stdout().contains("first"), "the job is listed");
    assertEquals(3, daemon.ocean("job", "get", "999999").exit(), "not found");
    assertEquals(2, daemon.ocean("job", "list", "--no-such-flag").exit(), "usage");
    assertEquals(2 * commands.length + 4, daemon.requestsServed(), "the daemon ran each");
  }

  @Test
  void standardInputIsReadOnlyWhenTheCommandAsksForIt() throws Exception {
    daemon.start();

    Result added =
        Exec.run(work, daemon.env, KEY_ONE + "\n", UserDaemon.command("ssh-key", "add", "-"));
    assertEquals(0, added.exit(), added.describe());
    assertTrue(daemon.ocean("ssh-key", "list").stdout().contains("one@test"), "from stdin");

    // a loop that feeds itself lines keeps every one of them
    Result loop =
        Exec.run(
            work,
            daemon.env,
            "a\nb\nc\n",
            "sh",
            "-c",
            "while read l; do \"$0\" whoami >/dev/null || exit 9; echo \"$l\"; done",
            UserDaemon.bin("ocean"));
    assertEquals(0, loop.exit(), loop.describe());
    assertEquals("a\nb\nc\n", loop.stdout(), loop.describe());
    assertEquals(5, daemon.requestsServed(), "ssh-key add, ssh-key list and three whoami");
  }

  /**
   * {@code ocean job list | head -1} under {@code set -o pipefail}: the answer, well below a pipe's
   * buffer, is written whole, so the command exits 0 as its own JVM does, not 141 when head went
   * away between two of its lines (qa7 K16).
   */
  @Test
  void aListReadOnlyInPartStillSucceeds() throws Exception {
    daemon.start();
    for (int i = 0; i < 8; i++) { // the quota allows 10 pending jobs, one of them "first"
      Result r =
          daemon.ocean(
              "job",
              "submit",
              "-q",
              "--name",
              "row" + i,
              "--machine-type",
              "cpu.small",
              "--image",
              "host",
              "--",
              "true");
      assertEquals(0, r.exit(), r.describe());
    }
    for (int i = 0; i < 10; i++) {
      Result head =
          Exec.run(
              work,
              daemon.env,
              "",
              "bash",
              "-c",
              "set -o pipefail; \"$0\" job list --all | head -1",
              UserDaemon.bin("ocean"));
      assertEquals(0, head.exit(), head.describe());
      assertTrue(head.stdout().startsWith("ID"), head.describe());
    }
    assertEquals(18, daemon.requestsServed(), "the daemon served the submissions and the lists");
    Map<String, String> noDaemon = new HashMap<>(daemon.env);
    noDaemon.put("OCEAN_NO_DAEMON", "1");
    for (int i = 0; i < 5; i++) {
      Result head =
          Exec.run(
              work,
              noDaemon,
              "",
              "bash",
              "-c",
              "set -o pipefail; \"$0\" job list --all | head -1",
              UserDaemon.bin("ocean"));
      assertEquals(0, head.exit(), "its own JVM too: " + head.describe());
    }
  }

  /**
   * Output that cannot be written (a full disk) fails, served or not, as cat and ls do (qa7 K17).
   */
  @Test
  void outputThatCannotBeWrittenIsAFailure() throws Exception {
    daemon.start();
    String full = "\"$0\" job list --all > /dev/full";
    Result served = Exec.run(work, daemon.env, "", "sh", "-c", full, UserDaemon.bin("ocean"));
    Map<String, String> noDaemon = new HashMap<>(daemon.env);
    noDaemon.put("OCEAN_NO_DAEMON", "1");
    Result jvm = Exec.run(work, noDaemon, "", "sh", "-c", full, UserDaemon.bin("ocean"));
    for (Result r : List.of(served, jvm)) {
      assertEquals(1, r.exit(), r.describe());
      assertEquals("Error: cannot write standard output.\n", r.stderr(), r.describe());
    }
    assertEquals(1, daemon.requestsServed(), "the daemon ran the first");
  }

  @Test
  void aRelativePathIsTheCallersNotTheDaemons() throws Exception {
    daemon.start();
    Path dir = Files.createDirectory(work.resolve("keys"));
    Files.writeString(dir.resolve("two.pub"), KEY_TWO + "\n");

    Result added = Exec.run(dir, daemon.env, "", UserDaemon.command("ssh-key", "add", "two.pub"));

    assertEquals(0, added.exit(), added.describe());
    assertEquals(1, daemon.requestsServed(), "the daemon added it");
    assertTrue(daemon.ocean("ssh-key", "list").stdout().contains("two@test"), "from two.pub");
  }

  @Test
  void theSavedLoginIsReadForEveryCommand() throws Exception {
    Path config = Files.createDirectories(work.resolve("config/ocean")).resolve("config.json");
    Files.copy(shared.resolve("config/ocean/config.json"), config);
    daemon.env.put("XDG_CONFIG_HOME", work.resolve("config").toString());
    daemon.start();
    assertEquals(0, daemon.ocean("whoami").exit(), "logged in");

    // what `ocean login` as someone else in another shell leaves behind
    Files.writeString(
        config,
        Files.readString(config).replaceAll("\"token\" *: *\"[^\"]*\"", "\"token\":\"stale\""));
    Result whoami = daemon.ocean("whoami");

    assertEquals(4, whoami.exit(), whoami.describe());
    assertEquals(2, daemon.requestsServed(), "the daemon ran both");
  }

  @Test
  void commandsThatFollowOrOpenATerminalRunInTheirOwnJvm() throws Exception {
    daemon.start();

    Result follow = daemon.ocean("logs", "-f", "999999");
    Result ssh = daemon.ocean("instance", "ssh", "999999");
    Map<String, String> marks = new HashMap<>(daemon.env);
    marks.put("OCEAN_STARTUP_MARKS", "1");
    Result measured = Exec.run(work, marks, "", UserDaemon.command("--version"));

    assertEquals(3, follow.exit(), follow.describe());
    assertEquals(3, ssh.exit(), ssh.describe());
    assertTrue(measured.stderr().startsWith("startup marks"), measured.describe());
    assertEquals(0, daemon.requestsServed(), "none of them reached the daemon");
  }

  /** A set-up step in a JVM: the words of {@code line} (split at spaces) and then {@code more}. */
  private static void setup(String stdin, String line, String... more) {
    String[] words = line.split(" ");
    String[] args = new String[words.length + more.length];
    System.arraycopy(words, 0, args, 0, words.length);
    System.arraycopy(more, 0, args, words.length, more.length);
    Map<String, String> env = new HashMap<>(base);
    env.put("OCEAN_NO_DAEMON", "1");
    Result r = Exec.run(shared, env, stdin, UserDaemon.command(args));
    assertEquals(0, r.exit(), r.describe());
  }
}
