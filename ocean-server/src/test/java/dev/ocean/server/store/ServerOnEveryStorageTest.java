package dev.ocean.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.Version;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The whole server starts on each database given as its {@code --db} URL, and restarts on it. */
class ServerOnEveryStorageTest {
  private final HttpClient http = HttpClient.newHttpClient();

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void serverStartsOnTheDatabaseUrlAndAnswersHealth(TestStorage storage, @TempDir Path dir)
      throws Exception {
    String url = storage.newUrl(dir, "server_health");
    ByteArrayOutputStream printed = new ByteArrayOutputStream();
    ServerConfig config =
        new ServerConfig(dir.resolve("data"))
            .port(0)
            .bcryptCost(4)
            .dbUrl(url)
            .adminEmail("admin@example.com");

    try (OceanServer server =
        OceanServer.start(config, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      assertEquals(
          storage == TestStorage.POSTGRES,
          server.database().dialect() == Database.Dialect.POSTGRES);
      assertHealthy(server);
      assertTrue(printed.toString(StandardCharsets.UTF_8).contains("Created admin account"));
    }
    printed.reset();
    try (OceanServer again =
        OceanServer.start(config, new PrintStream(printed, true, StandardCharsets.UTF_8))) {
      assertHealthy(again);
      assertEquals("", printed.toString(StandardCharsets.UTF_8), "the admin is created once");
      assertEquals(1, again.users().list().size());
    }
  }

  private void assertHealthy(OceanServer server) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(server.url() + "/api/v1/health")).build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), r.body());
    assertTrue(r.body().contains("\"status\":\"ok\""), r.body());
    assertTrue(r.body().contains("\"version\":\"" + Version.VERSION + "\""), r.body());
  }
}
