package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.User;
import dev.ocean.common.api.Volume;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code -o json}, {@code -q}, aligned tables, and colours only on a terminal that wants them. */
class OutputFormatTest {
  private static final String ESC = "\u001B[";

  @TempDir java.nio.file.Path dir;
  TestCluster cluster;
  Ocean ada;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    ada = cluster.user("ada@example.com");
    ada.ocean("volume", "create", "a", "--size", "1").ok();
    ada.ocean("volume", "create", "a-much-longer-volume-name", "--size", "250").ok();
    ada.ocean("volume", "create", "mid-size", "--size", "20").ok();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void jsonPrintsTheApiObjects() {
    List<Volume> volumes =
        ada.ocean("volume", "list", "-o", "json").json(new TypeReference<List<Volume>>() {});
    assertEquals(
        List.of("a", "a-much-longer-volume-name", "mid-size"),
        volumes.stream().map(Volume::name).toList());
    Volume big = volumes.get(1);
    assertEquals(250, big.sizeGib());
    assertEquals("ada@example.com", big.owner());
    assertEquals(cluster.clock.instant(), big.createdAt());

    MachineType m =
        ada.ocean("machine-type", "list", "-o", "json")
            .json(new TypeReference<List<MachineType>>() {})
            .getFirst();
    assertEquals(
        new MachineType("g1.small", 4, 32, 1, null, cluster.clock.instant(), null, null), m);

    Volume created =
        ada.ocean("volume", "create", "z", "--size", "3", "-o", "json").json(Volume.class);
    assertEquals("z", created.name());
    User me = ada.ocean("whoami", "-o", "json").json(User.class);
    assertEquals("ada@example.com", me.email());
    assertEquals("user", me.role());
  }

  @Test
  void quietPrintsOnlyNamesOrIds() {
    assertEquals(
        List.of("a", "a-much-longer-volume-name", "mid-size"),
        ada.ocean("volume", "list", "-q").ok().lines());
    assertEquals(
        List.of("z"), ada.ocean("volume", "create", "z", "--size", "1", "-q").ok().lines());
    Run request =
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
                "x",
                "-q")
            .ok();
    assertTrue(request.out().strip().matches("\\d+"), request.toString());
    assertEquals("", request.err());
  }

  @Test
  void tableColumnsLineUp() {
    assertAligned(ada.ocean("volume", "list").ok().out());
    Ocean admin = cluster.admin();
    cluster.user("someone.with.a.long.address@example.com");
    assertAligned(admin.ocean("admin", "user", "list").ok().out());
    admin
        .ocean(
            "admin",
            "quota",
            "grant",
            "ada@example.com",
            "--machine-type",
            "g1.small",
            "--count",
            "12",
            "--days",
            "3")
        .ok();
    admin
        .ocean(
            "admin",
            "quota",
            "grant",
            "someone.with.a.long.address@example.com",
            "--machine-type",
            "g1.small",
            "--count",
            "1",
            "--days",
            "300")
        .ok();
    assertAligned(admin.ocean("admin", "quota", "list").ok().out());
    // colours do not count towards the width
    String coloured = admin.terminal(true).ocean("admin", "quota", "list").ok().out();
    assertTrue(coloured.contains(ESC));
    assertAligned(coloured.replaceAll("\u001B\\[[;\\d]*m", ""));
  }

  /** Every column starts at the header's offset in every row. */
  private static void assertAligned(String table) {
    List<String> lines = table.lines().toList();
    assertTrue(lines.size() >= 3, table);
    String header = lines.getFirst();
    List<Integer> starts = new java.util.ArrayList<>();
    for (int i = 1; i < header.length(); i++) {
      if (header.charAt(i) != ' ' && header.startsWith("  ", i - 2)) {
        starts.add(i);
      }
    }
    assertFalse(starts.isEmpty(), table);
    for (String row : lines.subList(1, lines.size())) {
      for (int start : starts) {
        assertTrue(
            row.length() > start && row.charAt(start) != ' ' && row.charAt(start - 1) == ' ',
            "column at " + start + " out of line in:\n" + table);
      }
    }
  }

  @Test
  void coloursOnlyOnATerminalThatWantsThem() {
    ada.terminal(true);
    assertTrue(ada.ocean("volume", "list").ok().out().contains(ESC), "a terminal gets colour");

    assertFalse(ada.ocean("volume", "list", "--no-color").ok().out().contains(ESC));
    ada.env("NO_COLOR", "1");
    assertFalse(ada.ocean("volume", "list").ok().out().contains(ESC));
    assertFalse(ada.ocean("quota", "requests", "--all").ok().out().contains(ESC));
    ada.env("NO_COLOR", null);
    assertFalse(ada.ocean("volume", "list", "-o", "json").ok().out().contains(ESC));

    ada.terminal(false);
    assertFalse(ada.ocean("volume", "list").ok().out().contains(ESC));
    Run failed = ada.ocean("volume", "delete", "nope");
    assertFalse(failed.err().contains(ESC));
    failed.failsWithOneLine(3);
  }
}
