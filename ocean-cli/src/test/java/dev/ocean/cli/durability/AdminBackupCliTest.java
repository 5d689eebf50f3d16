package dev.ocean.cli.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.Volume;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.Main;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.ByteArrayInputStream;
import java.io.PrintStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * {@code ocean admin backup --to DIR} from an admin's terminal writes a backup that {@code
 * ocean-server restore} turns into a working data directory; it never overwrites a directory and is
 * for admins only.
 */
class AdminBackupCliTest {
  private static final String ADMIN = "admin@ocean.test";
  private static final String PASSWORD = "Sea-Sh3ll!s";

  @TempDir Path dir;

  @Test
  void anEmptyToIsAUsageErrorNamingTheFlag() {
    Out r = ocean(Map.of("OCEAN_SERVER", "http://127.0.0.1:9"), "admin", "backup", "--to", "");
    assertEquals(2, r.exit, r.err);
    assertEquals("Error: --to must not be empty; name a new directory.\n", r.err);
  }

  @Test
  void adminBacksUpFromTheTerminalAndTheBackupRestores() throws Exception {
    Path backup = dir.resolve("backup");
    try (OceanServer server = start(dir.resolve("data"))) {
      OceanClient admin = login(server.url(), ADMIN);
      admin.post("/volumes", new Volume.Create("keep", 1), Volume.class);
      Map<String, String> env =
          Map.of("OCEAN_SERVER", server.url(), "OCEAN_TOKEN", token(server.url(), ADMIN));

      Out ok = ocean(env, "admin", "backup", "--to", backup.toString());
      assertEquals(0, ok.exit, ok.err);
      assertTrue(ok.err.contains("Backed up"), ok.err);
      assertTrue(Files.isRegularFile(backup.resolve("ocean-backup.json")), "finished backup");

      Out again = ocean(env, "admin", "backup", "--to", backup.toString());
      assertEquals(5, again.exit, again.err);
      assertTrue(again.err.contains("--to"), again.err);

      // qa8 Q12: not a bare path as the whole error
      Path plain = Files.writeString(dir.resolve("plain-file"), "x");
      Out blocked = ocean(env, "admin", "backup", "--to", plain.resolve("sub").toString());
      assertEquals(1, blocked.exit, blocked.err);
      assertTrue(
          blocked.err.startsWith("Error: --to " + plain.resolve("sub") + " cannot be created: "),
          blocked.err);

      OceanClient.forUser(server.url(), null)
          .post("/auth/signup", new Credentials("bob@ocean.test", PASSWORD), Object.class);
      Map<String, String> bob =
          Map.of(
              "OCEAN_SERVER", server.url(), "OCEAN_TOKEN", token(server.url(), "bob@ocean.test"));
      Out refused = ocean(bob, "admin", "backup", "--to", dir.resolve("bob").toString());
      assertEquals(4, refused.exit, refused.err);
    }

    Path restored = dir.resolve("restored");
    StringWriter err = new StringWriter();
    CommandLine serverCli = new CommandLine(new Main()).setErr(new PrintWriter(err, true));
    assertEquals(
        0,
        serverCli.execute("restore", "--from", backup.toString(), "--data", restored.toString()),
        err.toString());
    try (OceanServer server = start(restored)) {
      List<?> volumes = login(server.url(), ADMIN).get("/volumes", List.class);
      assertEquals(1, volumes.size(), "the restored server has the volume: " + volumes);
    }
  }

  private static OceanServer start(Path data) throws Exception {
    return OceanServer.start(
        new ServerConfig(data)
            .host("127.0.0.1")
            .port(0)
            .bcryptCost(4)
            .adminEmail(ADMIN)
            .adminPassword(PASSWORD),
        new PrintStream(PrintStream.nullOutputStream()));
  }

  private static String token(String url, String email) {
    return OceanClient.forUser(url, null)
        .post("/auth/login", new Credentials(email, PASSWORD), Session.class)
        .token();
  }

  private static OceanClient login(String url, String email) {
    return OceanClient.forUser(url, token(url, email));
  }

  private Out ocean(Map<String, String> env, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    Map<String, String> all = new java.util.HashMap<>(env);
    all.put("XDG_CONFIG_HOME", dir.resolve("config").toString());
    int code =
        Cli.run(
            new CliContext(
                all,
                new ByteArrayInputStream(new byte[0]),
                new PrintWriter(out),
                new PrintWriter(err),
                null,
                false),
            args);
    return new Out(code, out.toString(), err.toString());
  }

  private record Out(int exit, String out, String err) {}
}
