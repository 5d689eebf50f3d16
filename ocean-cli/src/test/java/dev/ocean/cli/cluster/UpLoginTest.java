package dev.ocean.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.cli.base.Config;
import dev.ocean.common.api.User;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every {@code ocean up} logs the CLI in as the admin again; like {@code ocean login} it ends the
 * token it replaces, so repeated {@code up}s do not leave valid tokens nobody holds (QA F22).
 */
class UpLoginTest {
  private static final String ADMIN = "admin@ocean.test";
  private static final String PASSWORD = "Sea-Sh3ll!s";

  @TempDir Path dir;

  @Test
  void theTokenAnEarlierUpSavedNoLongerWorks() throws Exception {
    try (OceanServer server =
        OceanServer.start(
            new ServerConfig(dir.resolve("data"))
                .host("127.0.0.1")
                .port(0)
                .bcryptCost(4)
                .adminEmail(ADMIN)
                .adminPassword(PASSWORD),
            new PrintStream(new ByteArrayOutputStream()))) {
      Config config = new Config(dir.resolve("config.json"));
      AdminLogin.login(config, server.url(), ADMIN, PASSWORD);
      String first = config.load().token();

      AdminLogin.login(config, server.url(), ADMIN, PASSWORD);
      String second = config.load().token();

      assertEquals(
          ADMIN, OceanClient.forUser(server.url(), second).get("/users/me", User.class).email());
      OceanApiException gone =
          assertThrows(
              OceanApiException.class,
              () -> OceanClient.forUser(server.url(), first).get("/users/me", User.class));
      assertEquals(401, gone.status());
    }
  }
}
