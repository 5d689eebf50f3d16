package dev.ocean.server.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import dev.ocean.server.http.Routes;
import java.io.PrintStream;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Request labels come from fixed sets, so no stream of odd requests can grow the series. */
class MetricsLabelsTest {
  private static final Pattern SERIES =
      Pattern.compile(
          "ocean_api_request_duration_seconds_count\\{method=\"([^\"]*)\",route=\"([^\"]*)\"");

  @TempDir Path dir;

  @Test
  void oddMethodsAndPathsShareAFewLabelValues() throws Exception {
    try (OceanServer s =
            OceanServer.start(
                new ServerConfig(dir).host("127.0.0.1").port(0),
                new PrintStream(PrintStream.nullOutputStream()));
        HttpClient http = HttpClient.newHttpClient()) {
      for (int i = 0; i < 200; i++) {
        String path = i % 2 == 0 ? "/api/v1/volumes/vol" + i : "/nowhere/" + i;
        http.send(
            HttpRequest.newBuilder(URI.create(s.url() + path))
                .method("M" + i, HttpRequest.BodyPublishers.noBody())
                .build(),
            HttpResponse.BodyHandlers.discarding());
        http.send(
            HttpRequest.newBuilder(URI.create(s.url() + path)).GET().build(),
            HttpResponse.BodyHandlers.discarding());
      }
      http.send(
          HttpRequest.newBuilder(URI.create(s.url() + "/api/v1/health")).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      // Refused by authorization before its handler: still counted under its route.
      http.send(
          HttpRequest.newBuilder(URI.create(s.url() + "/api/v1/admin/users")).GET().build(),
          HttpResponse.BodyHandlers.discarding());
      String text =
          http.send(
                  HttpRequest.newBuilder(URI.create(s.url() + "/metrics")).GET().build(),
                  HttpResponse.BodyHandlers.ofString())
              .body();
      Set<String> methods = new HashSet<>();
      Set<String> routes = new HashSet<>();
      Matcher m = SERIES.matcher(text);
      while (m.find()) {
        methods.add(m.group(1));
        routes.add(m.group(2));
      }
      Set<String> templates =
          s.routes().stream().map(Routes.Route::path).collect(Collectors.toSet());
      assertTrue(routes.contains("/api/v1/health"), routes.toString());
      assertTrue(routes.contains("/api/v1/admin/users"), routes.toString());
      for (String route : routes) {
        assertTrue(route.equals("unmatched") || templates.contains(route), route);
      }
      assertTrue(
          Set.of("GET", "HEAD", "POST", "PUT", "PATCH", "DELETE", "OPTIONS", "other")
              .containsAll(methods),
          methods.toString());
      assertTrue(routes.size() <= 4, routes.toString());
      assertEquals(Set.of("GET", "other"), methods);
    }
  }
}
