package dev.ocean.dist;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeFalse;

import dev.ocean.dist.Exec.Result;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code install.sh}'s systemd path, as far as it can be tried where systemd does not run: the
 * server's unit as written (and as {@code systemd-analyze verify} judges it), a refusal that says
 * how to run by hand where {@code --systemd} cannot be had, and options that only fit {@code --up}.
 */
class InstallScriptSystemdIT {
  private static final Path DIST = Path.of(System.getProperty("ocean.dist", "target/ocean"));

  @TempDir Path home;

  @Test
  void unitDirGetsAServerUnitThatSystemdAccepts() throws IOException {
    Path prefix = home.resolve("pre fix");
    Path data = home.resolve("server data");
    Path units = home.resolve("units");

    Result r =
        sh(
            "server",
            "--prefix",
            prefix.toString(),
            "--data",
            data.toString(),
            "--unit-dir",
            units.toString());

    assertEquals(0, r.exit(), r.describe());
    Path unit = units.resolve("ocean-server.service");
    assertTrue(r.stdout().contains("Wrote " + unit), r.describe());
    String text = Files.readString(unit);
    assertTrue(
        text.contains(
            "ExecStart=\""
                + prefix.resolve("lib/ocean/bin/ocean-server")
                + "\" --data \""
                + data
                + "\" --admin-email \"admin@ocean.local\" --admin-password-file \""
                + data.resolve("admin-password")
                + "\"\n"),
        text);
    assertTrue(text.contains("WantedBy=multi-user.target"), text);
    Path analyze = Path.of("/usr/bin/systemd-analyze");
    if (Files.isExecutable(analyze)) {
      Result verify = Exec.run(home, analyze.toString(), "verify", unit.toString());
      assertEquals(0, verify.exit(), "systemd accepts the unit: " + verify.describe());
    }
  }

  @Test
  void systemdIsRefusedWhereItDoesNotRunSayingHowToRunByHand() {
    assumeFalse(Files.isDirectory(Path.of("/run/systemd/system")), "systemd runs here");
    Path prefix = home.resolve("prefix");
    Path data = home.resolve("data");

    Result r = sh("server", "--systemd", "--prefix", prefix.toString(), "--data", data.toString());

    assertEquals(1, r.exit(), r.describe());
    assertTrue(r.stderr().contains("--systemd: systemd is not running"), r.describe());
    assertTrue(
        r.stderr().contains(prefix.resolve("lib/ocean/bin/ocean-server") + " --data " + data),
        "says how to start the server by hand: " + r.describe());
    assertFalse(Files.exists(prefix), "nothing installed");
    assertEquals(1, r.stderr().lines().count(), "one sentence: " + r.describe());
  }

  @Test
  void portWithoutUpIsAUsageErrorNamingIt() {
    Result r = sh("--prefix", home.resolve("prefix").toString(), "--port", "9090");

    assertEquals(2, r.exit(), r.describe());
    assertTrue(r.stderr().startsWith("install.sh: --port is for --up"), r.describe());
    assertFalse(Files.exists(home.resolve("prefix")), "nothing installed");
  }

  private Result sh(String... args) {
    String[] command = new String[args.length + 2];
    command[0] = "sh";
    command[1] = DIST.resolve("install.sh").toAbsolutePath().toString();
    System.arraycopy(args, 0, command, 2, args.length);
    return Exec.run(
        home,
        Map.of(
            "HOME",
            home.toString(),
            "XDG_CONFIG_HOME",
            home.resolve("config").toString(),
            "XDG_DATA_HOME",
            home.resolve("share").toString(),
            "NO_COLOR",
            "1"),
        "",
        command);
  }
}
