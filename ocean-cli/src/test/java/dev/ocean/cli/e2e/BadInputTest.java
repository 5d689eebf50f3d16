package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.files.StorageMarker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Bad input through the CLI: a usage exit code, one sentence, and nothing left behind. */
class BadInputTest {
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

  private List<Path> storageContents() throws IOException {
    if (!Files.exists(cluster.storageRoot())) {
      return List.of();
    }
    try (Stream<Path> s = Files.walk(cluster.storageRoot())) {
      return s.filter(p -> !p.equals(cluster.storageRoot()))
          .filter(p -> !p.getFileName().toString().equals(StorageMarker.FILE))
          .toList();
    }
  }

  @Test
  void badVolumeNamesAreRefusedAndCreateNoDirectory() throws IOException {
    List<Path> before = storageContents();
    for (String name :
        List.of(
            "../x", ".hidden", "a/b", "UPPER", "x".repeat(64), "-dash", "a b", "..", "%2e%2e")) {
      String why = ada.ocean("volume", "create", "--size", "1", "--", name).failsWithOneLine(2);
      assertTrue(why.contains("volume name must be"), name + ": " + why);
    }
    assertEquals(before, storageContents());
    assertTrue(Files.notExists(dir.resolve("data").resolve("x")));
    assertEquals("", ada.ocean("volume", "list", "-q").ok().out());

    ada.ocean("volume", "create", "x".repeat(63), "--size", "1").ok();
  }

  @Test
  void errorsNameTheFlagsAndArgumentsTyped() {
    String[] submit = {"job", "submit", "--machine-type", "g1.small", "--image", "pytorch"};
    String name = ada.ocean(concat(submit, "--name", "", "--", "true")).failsWithOneLine(2);
    assertTrue(name.startsWith("--name "), name);
    String env =
        ada.ocean(concat(submit, "--name", "j", "--env", "1A=v", "--", "true")).failsWithOneLine(2);
    assertTrue(env.startsWith("--env "), env);
    String twice =
        ada.ocean(concat(submit, "--name", "j", "--env", "A=1", "--env", "A=2", "--", "true"))
            .failsWithOneLine(2);
    assertTrue(twice.contains("--env sets A twice"), twice);
    // one wording for a mistyped flag, whether or not the command has required parameters
    assertEquals(
        "Unknown option: '--bogus-flag'.", ada.ocean("job", "list", "--bogus-flag").fails(2));
    assertEquals(
        "Unknown option: '--bogus-flag'.", ada.ocean("job", "get", "--bogus-flag").fails(2));
    String json =
        ada.ocean(
                concat(
                    new String[] {"-o", "json"},
                    concat(submit, "--name", "j", "--follow", "--", "true")))
            .failsWithOneLine(2);
    assertTrue(json.startsWith("--follow prints the run's output, which is not JSON"), json);
    assertEquals(
        "--volume must name one of your volumes, not be empty.",
        ada.ocean(concat(submit, "--name", "j", "--volume", "", "--", "true")).failsWithOneLine(2));
    assertEquals(
        "--volume must name one of your volumes, not be empty.",
        ada.ocean(
                "instance",
                "create",
                "box",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "--volume",
                "")
            .failsWithOneLine(2));
    assertEquals("", ada.ocean("job", "list", "-q").ok().out(), "nothing was submitted");
    assertEquals("ID: '-1' is not an id.", ada.ocean("token", "revoke", "-1").failsWithOneLine(2));
    String url = ada.ocean("--server", "notaurl", "whoami").failsWithOneLine(2);
    assertTrue(url.startsWith("--server: 'notaurl' is not a server address"), url);
    String inList =
        ada.ocean("--server", "http://127.0.0.1:1,notaurl", "whoami").failsWithOneLine(2);
    assertTrue(inList.startsWith("--server: 'notaurl' is not a server address"), inList);
    assertEquals(
        "--server: 'http://127.0.0.1:99999' has port 99999; a port is 1 to 65535.",
        ada.ocean("--server", "http://127.0.0.1:99999", "job", "list").failsWithOneLine(2));
  }

  @Test
  void aServerListReachesTheLiveServerWhenTheFirstIsDown() throws IOException {
    int down;
    try (java.net.ServerSocket s = new java.net.ServerSocket(0)) {
      down = s.getLocalPort();
    }
    String both = "http://127.0.0.1:" + down + "," + cluster.url();
    assertTrue(ada.ocean("--server", both, "whoami").ok().out().contains("ada@example.com"));
  }

  private static String[] concat(String[] a, String... b) {
    String[] all = java.util.Arrays.copyOf(a, a.length + b.length);
    System.arraycopy(b, 0, all, a.length, b.length);
    return all;
  }

  @Test
  void volumeSizeMustBePositive() throws IOException {
    for (String size : List.of("0", "-1")) {
      String why = ada.ocean("volume", "create", "data", "--size", size).failsWithOneLine(2);
      assertTrue(why.startsWith("--size must be between 1 and"), why);
    }
    assertTrue(ada.ocean("volume", "create", "data", "--size", "ten").fails(2).contains("ten"));
    assertEquals(List.of(), storageContents());
    assertEquals("", ada.ocean("volume", "list", "-q").ok().out());
  }

  @Test
  void unknownMachineTypeInAQuotaRequestIsNamed() {
    String why =
        ada.ocean(
                "quota",
                "request",
                "--machine-type",
                "g9.huge",
                "--count",
                "1",
                "--days",
                "1",
                "--reason",
                "x")
            .failsWithOneLine(3);
    assertTrue(why.contains("g9.huge"), why);
    assertEquals("", ada.ocean("quota", "requests", "--all", "-q").ok().out());
  }

  @Test
  void quotaRequestNumbersMustBeInRange() {
    for (String[] countDays : new String[][] {{"0", "1"}, {"-2", "1"}, {"1", "0"}, {"1", "366"}}) {
      ada.ocean(
              "quota",
              "request",
              "--machine-type",
              "g1.small",
              "--count",
              countDays[0],
              "--days",
              countDays[1],
              "--reason",
              "x")
          .failsWithOneLine(2);
    }
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
            " ")
        .failsWithOneLine(2);
    assertEquals("", ada.ocean("quota", "requests", "--all", "-q").ok().out());
  }

  @Test
  void theAuditCountsOneDayAsADay() {
    Ocean admin = cluster.admin();
    admin
        .ocean(
            "admin",
            "quota",
            "grant",
            "ada@example.com",
            "--machine-type",
            "g1.small",
            "--count",
            "1",
            "--days",
            "1")
        .ok();
    String audit = admin.ocean("admin", "audit").ok().out();
    assertTrue(audit.contains("1 x g1.small for 1 day"), audit);
    assertFalse(audit.contains("1 days"), audit);
  }

  @Test
  void duplicateVolumeIsAConflict() {
    ada.ocean("volume", "create", "data", "--size", "1").ok();
    assertTrue(
        ada.ocean("volume", "create", "data", "--size", "2")
            .failsWithOneLine(5)
            .contains("already have a volume named data"));
  }

  @Test
  void unknownCommandsAndOptionsAreUsageErrors() {
    ada.ocean("volume", "frobnicate").fails(2);
    ada.ocean("volume", "list", "--bogus").fails(2);
    ada.ocean("volume").fails(2);
    assertEquals(
        "-o: 'yaml' is not one of table, wide, json.",
        ada.ocean("volume", "list", "-o", "yaml").fails(2));
    String why = ada.ocean("volume").fails(2);
    assertTrue(why.contains("needs a subcommand: create, list, get, resize, delete"), why);
  }
}
