package dev.ocean.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import dev.ocean.server.store.PostgresFixture;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.function.Predicate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A server on PostgreSQL whose database stops answering says so: the health check answers 503
 * naming the database's address, every other request is refused at once with 503 and {@code
 * Retry-After} (not after the pool's wait, not as a 500), and all comes back on its own with the
 * database.
 */
class DatabaseDownTest {
  @TempDir Path dir;
  private final HttpClient http =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private HttpResponse<String> get(OceanServer s, String path) throws Exception {
    // shorter than the pool's 10 s wait for a connection: the answer must not come from it
    return http.send(
        HttpRequest.newBuilder(URI.create(s.url() + "/api/v1" + path))
            .timeout(Duration.ofSeconds(8))
            .build(),
        HttpResponse.BodyHandlers.ofString());
  }

  private HttpResponse<String> until(
      OceanServer s, String path, Predicate<HttpResponse<String>> done) throws Exception {
    Instant end = Instant.now().plusSeconds(30);
    HttpResponse<String> r = get(s, path);
    while (!done.test(r) && Instant.now().isBefore(end)) {
      Thread.sleep(100);
      r = get(s, path);
    }
    return r;
  }

  @Test
  void withItsDatabaseGoneTheServerSaysSoAtOnceAndComesBackWithIt() throws Exception {
    PostgresFixture pg = PostgresFixture.shared();
    String direct = pg.createDatabase("db_down");
    try (TcpRelay relay = new TcpRelay(pg.port())) {
      String url = direct.replace(":" + pg.port() + "/", ":" + relay.port() + "/");
      ServerConfig config =
          new ServerConfig(dir.resolve("data"))
              .port(0)
              .host("127.0.0.1")
              .bcryptCost(4)
              .adminEmail("admin@example.com")
              .adminPassword("Admin123!x")
              .dbUrl(url);
      try (OceanServer s =
          OceanServer.start(config, new PrintStream(PrintStream.nullOutputStream()))) {
        assertEquals(200, get(s, "/health").statusCode());

        relay.cut();
        HttpResponse<String> health = until(s, "/health", r -> r.statusCode() == 503);
        assertEquals(503, health.statusCode(), health.body());
        assertTrue(
            health.body().contains("the database at 127.0.0.1:" + relay.port()), health.body());
        assertTrue(!health.body().contains("user="), "no credentials: " + health.body());

        HttpResponse<String> jobs = get(s, "/jobs");
        assertEquals(503, jobs.statusCode(), jobs.body());
        assertTrue(jobs.body().contains("cannot be reached"), jobs.body());
        assertEquals("5", jobs.headers().firstValue("Retry-After").orElse(null));

        relay.resume();
        health = until(s, "/health", r -> r.statusCode() == 200);
        assertEquals(200, health.statusCode(), health.body());
        assertEquals(401, get(s, "/jobs").statusCode(), "answered again (by the login check)");
      }
    }
  }
}
