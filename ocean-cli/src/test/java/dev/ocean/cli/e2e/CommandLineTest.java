package dev.ocean.cli.e2e;

import static com.github.tomakehurst.wiremock.client.WireMock.get;
import static com.github.tomakehurst.wiremock.client.WireMock.okJson;
import static com.github.tomakehurst.wiremock.client.WireMock.urlPathEqualTo;
import static com.github.tomakehurst.wiremock.core.WireMockConfiguration.options;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.github.tomakehurst.wiremock.WireMockServer;
import dev.ocean.cli.Cli;
import dev.ocean.common.api.QuotaRequest;
import dev.ocean.common.api.Volume;
import dev.ocean.common.json.Json;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * The command line as a user types it: help everywhere, global options at any depth, and errors in
 * the words of the flags typed.
 */
class CommandLineTest {
  @TempDir Path dir;
  TestCluster cluster;
  Ocean ada;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    ada = cluster.user("ada@example.com");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  /** Every command and group of {@code ocean}, as the words typed to reach it. */
  private static List<List<String>> allCommands() {
    List<List<String>> all = new ArrayList<>();
    walk(Cli.tree(), List.of(), all);
    return all;
  }

  private static void walk(CommandLine c, List<String> path, List<List<String>> all) {
    all.add(path);
    c.getSubcommands()
        .forEach(
            (name, sub) -> {
              List<String> p = new ArrayList<>(path);
              p.add(name);
              walk(sub, p, all);
            });
  }

  @Test
  void everyCommandAndGroupHasHelp() {
    List<List<String>> commands = allCommands();
    assertTrue(commands.size() > 40, "the tree was walked: " + commands);
    for (List<String> command : commands) {
      String usage = "Usage: " + String.join(" ", List.of("ocean", String.join(" ", command)));
      for (String flag : List.of("-h", "--help")) {
        List<String> args = new ArrayList<>(command);
        args.add(flag);
        Run r = ada.ocean(args.toArray(String[]::new));
        assertEquals(0, r.exit(), args + ": " + r);
        assertTrue(r.out().startsWith(usage.strip()), args + ": " + r);
      }
      List<String> viaHelp = new ArrayList<>(List.of("help"));
      viaHelp.addAll(command);
      Run r = ada.ocean(viaHelp.toArray(String[]::new));
      assertEquals(0, r.exit(), viaHelp + ": " + r);
      assertTrue(r.out().startsWith(usage.strip()), viaHelp + ": " + r);
    }
    String top = ada.ocean("--help").ok().out();
    for (String listed :
        List.of(
            "--server",
            "--token",
            "--output",
            "--quiet",
            "--no-color",
            "--verbose",
            "OCEAN_SERVER",
            "OCEAN_TOKEN",
            "OCEAN_TIMEOUT",
            "OCEAN_CA_CERT",
            "NO_COLOR")) {
      assertTrue(top.contains(listed), listed + " missing from:\n" + top);
    }
    Run nope = ada.ocean("help", "job", "nope");
    String why = nope.fails(2);
    assertTrue(why.contains("'ocean job' has no command 'nope'"), why);
    assertTrue(nope.err().contains("See 'ocean job --help'."), nope.err());
  }

  @Test
  void globalOptionsWorkAtAnyDepth() {
    ada.ocean("volume", "create", "a", "--size", "1").ok();
    for (String[] args :
        List.of(
            new String[] {"-o", "json", "volume", "list"},
            new String[] {"volume", "-o", "json", "list"},
            new String[] {"volume", "list", "-o", "json"},
            new String[] {"--output=json", "volume", "list"})) {
      List<Volume> vs = ada.ocean(args).json(new TypeReference<List<Volume>>() {});
      assertEquals(List.of("a"), vs.stream().map(Volume::name).toList(), List.of(args) + "");
    }
    assertEquals(List.of("a"), ada.ocean("-q", "volume", "list").ok().lines());
    assertEquals(List.of("a"), ada.ocean("volume", "-q", "list").ok().lines());

    Ocean bob = cluster.as("bob@example.com").env("OCEAN_SERVER", null);
    bob.withStdin(
            TestCluster.PASSWORD + "\n",
            "--server",
            cluster.url(),
            "signup",
            "--email",
            "bob@example.com",
            "--password-stdin")
        .ok();
    bob.withStdin(
            TestCluster.PASSWORD + "\n",
            "--server",
            cluster.url(),
            "login",
            "--email",
            "bob@example.com",
            "--password-stdin")
        .ok();
    assertTrue(bob.ocean("-o", "json", "whoami").ok().out().contains("bob@example.com"));

    String token = ada.token();
    Ocean anon = cluster.as("nobody@example.com");
    anon.ocean("volume", "list").fails(4);
    assertEquals(List.of("a"), anon.ocean("--token", token, "-q", "volume", "list").ok().lines());

    Run verbose = ada.ocean("-v", "volume", "delete", "nope");
    assertEquals(3, verbose.exit(), verbose.toString());
    assertTrue(verbose.err().contains("problem:"), "-v before the command shows details");
  }

  @Test
  void errorsNameTheFlagsTypedNotTheApiFields() {
    assertEquals(
        "--size must be between 1 and 100000, not 0.",
        ada.ocean("volume", "create", "v", "--size", "0").failsWithOneLine(2));
    Ocean admin = cluster.admin();
    assertEquals(
        "--gpu-model needs --gpus of at least 1.",
        admin
            .ocean(
                "admin",
                "machine-type",
                "create",
                "c1",
                "--cpus",
                "1",
                "--memory",
                "1",
                "--gpus",
                "0",
                "--gpu-model",
                "H100")
            .failsWithOneLine(2));
    String memory =
        admin
            .ocean("admin", "machine-type", "update", "g1.small", "--memory", "0")
            .failsWithOneLine(2);
    assertTrue(memory.startsWith("--memory must be between 1 and"), memory);
    String count =
        ada.ocean(
                "quota",
                "request",
                "--machine-type",
                "g1.small",
                "--count",
                "0",
                "--days",
                "1",
                "--reason",
                "x")
            .failsWithOneLine(2);
    assertTrue(count.startsWith("--count must be between"), count);
    String ttl = admin.ocean("admin", "node", "token", "--ttl", "forever").failsWithOneLine(2);
    assertTrue(ttl.startsWith("--ttl must look like"), ttl);

    assertEquals(
        "--count: 'abc' is not a whole number.",
        admin
            .ocean(
                "admin",
                "quota",
                "grant",
                "ada@example.com",
                "--machine-type",
                "g1.small",
                "--count",
                "abc",
                "--days",
                "1")
            .fails(2));
    assertEquals("JOB_ID: 'abc' is not a job id.", ada.ocean("job", "get", "abc").fails(2));
    assertEquals("JOB_ID: 'x' is not a job id.", ada.ocean("job", "cancel", "1", "x").fails(2));
    assertEquals(
        "REQUEST_ID: 'abc' is not a request id.", ada.ocean("quota", "cancel", "abc").fails(2));
    assertEquals(
        "--output: 'yaml' is not one of table, wide, json.",
        ada.ocean("volume", "list", "--output", "yaml").fails(2));
  }

  @Test
  void textWithControlCharactersIsRefusedAtTheDoor() {
    String evil = "clear\u001B[2J\u001B]0;owned\u0007\u009Bx\u007F";
    String why =
        ada.ocean(
                "quota",
                "request",
                "--machine-type",
                "g1.small",
                "--count",
                "1",
                "--days",
                "1",
                "--reason",
                evil)
            .fails(2);
    assertTrue(why.startsWith("--reason must not contain control characters"), why);
    assertFalse(why.contains("\u001B"), why);
    Run err = ada.ocean("volume", "delete", "x\u001B[2J");
    assertFalse(err.err().contains("\u001B"), err.err());
  }

  /**
   * Text that reached the server before it refused control characters (or from a server that does
   * not) still cannot drive the terminal: every table, detail view and -q line escapes it.
   */
  @Test
  void storedTextCannotDriveTheTerminal() throws Exception {
    String evil = "clear\u001B[2J\u001B]0;owned\u0007\u009Bx\u007F";
    String json =
        Json.newMapper()
            .writeValueAsString(
                List.of(
                    new QuotaRequest(
                        1,
                        "eve\u001B[2J@example.com",
                        "g1.small",
                        1,
                        1,
                        evil,
                        "pending",
                        null,
                        null,
                        Instant.parse("2026-01-01T00:00:00Z"),
                        null,
                        null)));
    WireMockServer old = new WireMockServer(options().dynamicPort().bindAddress("127.0.0.1"));
    old.start();
    try {
      old.stubFor(
          get(urlPathEqualTo("/api/v1/admin/quota-requests"))
              .willReturn(okJson(json).withHeader("Content-Type", "application/json")));
      Ocean admin =
          new Ocean(dir.resolve("old"))
              .env("OCEAN_SERVER", old.baseUrl())
              .env("OCEAN_TOKEN", "oc_test")
              .terminal(true);
      for (Run r :
          List.of(
              admin.ocean("admin", "quota-request", "list"),
              admin.ocean("admin", "quota-request", "list", "-o", "wide"))) {
        r.ok();
        String shown = r.out().replaceAll("\u001B\\[[;\\d]*m", "");
        assertFalse(shown.matches("(?s).*[\\x00-\\x09\\x0b-\\x1f\\x7f-\\x9f].*"), r.out());
        assertTrue(shown.contains("clear\\x1b[2J\\x1b]0;owned"), r.out());
        assertTrue(shown.contains("eve\\x1b[2J@example.com"), r.out());
      }
      Run raw = admin.ocean("admin", "quota-request", "list", "-o", "json").ok();
      assertTrue(raw.out().contains("\\u001B[2J"), "JSON keeps the text, escaped: " + raw.out());
    } finally {
      old.stop();
    }
  }

  @Test
  void wideOutputAddsColumns() {
    Ocean admin = cluster.admin();
    admin
        .ocean(
            "admin",
            "machine-type",
            "create",
            "h1",
            "--cpus",
            "1",
            "--memory",
            "1",
            "--gpus",
            "1",
            "--gpu-model",
            "H100")
        .ok();
    String narrow = ada.ocean("machine-type", "list").ok().out();
    String wide = ada.ocean("machine-type", "list", "-o", "wide").ok().out();
    assertFalse(narrow.contains("GPU MODEL"), narrow);
    assertTrue(wide.contains("GPU MODEL") && wide.contains("H100"), wide);

    String jobs = ada.ocean("-o", "wide", "job", "list").ok().out();
    for (String column : List.of("NODE", "GPUS", "ATTEMPT", "REASON")) {
      assertTrue(jobs.lines().findFirst().orElse("").contains(column), jobs);
      assertFalse(ada.ocean("job", "list").ok().out().contains(column));
    }
    String nodes = admin.ocean("node", "list", "-o", "wide").ok().out();
    assertTrue(nodes.contains("HOST") && nodes.contains("LAST HEARTBEAT"), nodes);
    assertFalse(admin.ocean("node", "list").ok().out().contains("LAST HEARTBEAT"));
  }
}
