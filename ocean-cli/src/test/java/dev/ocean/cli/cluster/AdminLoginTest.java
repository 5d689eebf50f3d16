package dev.ocean.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.Config;
import dev.ocean.common.api.PasswordChange;
import dev.ocean.common.api.User;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * After the admin changed the password {@code ocean up} saved (qa7 K21), {@code up} goes on with
 * the CLI's valid admin login, or says which file to fix (exit 4).
 */
class AdminLoginTest {
  private static final String FIRST = "Sea-Sh3ll!s";
  private static final String CHANGED = "Admin-new-pass-9!";

  @TempDir Path dir;

  private OceanServer start() throws Exception {
    return OceanServer.start(
        new ServerConfig(dir.resolve("data"))
            .host("127.0.0.1")
            .port(0)
            .bcryptCost(4)
            .adminEmail(LocalCluster.ADMIN_EMAIL)
            .adminPassword(FIRST),
        new PrintStream(new ByteArrayOutputStream()));
  }

  private void changePassword(String url) {
    OceanClient admin =
        AdminLogin.login(
            new Config(dir.resolve("other.json")), url, LocalCluster.ADMIN_EMAIL, FIRST);
    admin.post("/users/me/password", new PasswordChange(FIRST, CHANGED), Void.class);
  }

  @Test
  void theCliLoginCarriesOnWhenTheSavedPasswordWasChanged() throws Exception {
    try (OceanServer server = start()) {
      changePassword(server.url());
      Config config = new Config(dir.resolve("config.json"));
      AdminLogin.login(config, server.url(), LocalCluster.ADMIN_EMAIL, CHANGED); // `ocean login`

      AdminLogin.Opened opened = AdminLogin.admin(config, server.url(), FIRST, dir.resolve("pw"));

      assertEquals(LocalCluster.ADMIN_EMAIL, opened.client().get("/users/me", User.class).email());
      // qa11 T9: `up` still pointed at the file, which holds the old password
      assertEquals(
          "the CLI is logged in as the admin, whose password was changed with `ocean passwd` ("
              + dir.resolve("pw")
              + " holds the first one)",
          opened.passwordNote());
    }
  }

  @Test
  void withoutALoginItSaysWhichFileToFix() throws Exception {
    try (OceanServer server = start()) {
      changePassword(server.url());
      Config config = new Config(dir.resolve("config.json"));

      CliException e =
          assertThrows(
              CliException.class,
              () -> AdminLogin.open(config, server.url(), FIRST, dir.resolve("admin-password")));

      assertEquals(4, e.exitCode());
      assertEquals(
          "the admin password in "
              + dir.resolve("admin-password")
              + " no longer works (changed with `ocean passwd`?); write the current one into that"
              + " file, then `ocean up` again",
          e.getMessage());
    }
  }
}
