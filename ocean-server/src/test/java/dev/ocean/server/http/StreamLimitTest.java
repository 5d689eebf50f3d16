package dev.ocean.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.InputStream;
import java.net.URI;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * One account cannot hold more than {@link StreamLimit#PER_USER} streams open at once (qa7 K11):
 * the next is refused with 429 and a Retry-After, and one is accepted again once a stream ended. A
 * real server; the streams are real change-event streams held open by a real HTTP client.
 */
class StreamLimitTest {
  @TempDir Path dir;
  private Harness h;
  private final List<InputStream> held = new ArrayList<>();

  @BeforeEach
  void start() throws Exception {
    h = new Harness(dir);
  }

  @AfterEach
  void stop() throws Exception {
    for (InputStream in : held) {
      in.close();
    }
    h.close();
  }

  @Test
  void oneUserHoldsAtMostTheBoundOfStreamsAndGetsOneAgainWhenOneEnds() throws Exception {
    String bob = h.user("bob@example.com");
    List<CompletableFuture<HttpResponse<InputStream>>> opening = new ArrayList<>();
    for (int i = 0; i < StreamLimit.PER_USER - 1; i++) {
      opening.add(events(bob, 300));
    }
    opening.add(events(bob, 2)); // the one that ends by itself
    for (var f : opening) {
      HttpResponse<InputStream> r = f.get();
      held.add(r.body());
      assertEquals(200, r.statusCode());
    }

    HttpResponse<InputStream> refused = events(bob, 300).get();
    String problem = new String(refused.body().readAllBytes());
    assertEquals(429, refused.statusCode(), problem);
    assertTrue(refused.headers().firstValue("Retry-After").isPresent(), refused.headers() + "");
    assertTrue(problem.contains(StreamLimit.PER_USER + " streams open"), problem);

    HttpResponse<InputStream> admin = events(h.login(Harness.ADMIN), 300).get();
    held.add(admin.body());
    assertEquals(200, admin.statusCode(), "the bound is per account: another one is not held");

    long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
    int status;
    do {
      HttpResponse<InputStream> again = events(bob, 300).get();
      held.add(again.body());
      status = again.statusCode();
      if (status != 200) {
        Thread.sleep(200);
      }
    } while (status != 200 && System.nanoTime() < deadline);
    assertEquals(200, status, "once the short stream ended, its place is free again");
  }

  private CompletableFuture<HttpResponse<InputStream>> events(String token, int seconds) {
    return h.http.sendAsync(
        HttpRequest.newBuilder(URI.create(h.url() + "/api/v1/events?timeout=" + seconds))
            .header("Authorization", "Bearer " + token)
            .build(),
        HttpResponse.BodyHandlers.ofInputStream());
  }
}
