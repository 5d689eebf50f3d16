package dev.ocean.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class MetricsEndpointTest {
  @TempDir Path dir;

  private static HttpResponse<String> get(String url, String token) throws Exception {
    var b = HttpRequest.newBuilder(URI.create(url + "/metrics"));
    if (token != null) {
      b.header("Authorization", "Bearer " + token);
    }
    return HttpClient.newHttpClient().send(b.build(), HttpResponse.BodyHandlers.ofString());
  }

  @Test
  void metricsAreOpenByDefaultAndCarryQueueAndJobCounts() throws Exception {
    try (OceanServer s =
        OceanServer.start(
            new ServerConfig(dir).host("127.0.0.1").port(0),
            new PrintStream(PrintStream.nullOutputStream()))) {
      get(s.url(), null);
      var r = get(s.url(), null);
      assertEquals(200, r.statusCode());
      assertTrue(r.body().contains("ocean_queue_length 0"), r.body());
      assertTrue(r.body().contains("ocean_api_request_duration_seconds"), r.body());
    }
  }

  @Test
  void aMetricsTokenKeepsOthersOut() throws Exception {
    try (OceanServer s =
        OceanServer.start(
            new ServerConfig(dir).host("127.0.0.1").port(0).metricsToken("scrape-secret"),
            new PrintStream(PrintStream.nullOutputStream()))) {
      assertEquals(401, get(s.url(), null).statusCode());
      assertEquals(401, get(s.url(), "wrong").statusCode());
      assertEquals(200, get(s.url(), "scrape-secret").statusCode());
    }
  }
}
