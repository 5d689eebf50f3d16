package dev.ocean.server.web;

import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.util.Map;

/**
 * {@code GET /api/v1/events}: a Server-Sent Events stream of {@code changed} events, each naming a
 * topic ({@code jobs}, {@code instances}, {@code nodes}, {@code quotas}, {@code volumes}, {@code
 * users}) whose list an open page should refetch. It says nothing about what changed, so every
 * logged-in user may listen. The stream ends after {@code timeout} seconds (default 300); the
 * browser's EventSource reconnects by itself.
 */
public final class EventsController {
  private static final long PING_MILLIS = 15_000;

  private final ChangeFeed feed;

  public EventsController(ChangeFeed feed) {
    this.feed = feed;
  }

  public void stream(Context ctx) throws IOException, InterruptedException {
    int seconds = dev.ocean.server.http.Check.queryInt(ctx, "timeout", 300, 0, 3600);
    long deadline = System.currentTimeMillis() + seconds * 1000L;
    Sse.start(ctx);
    OutputStream out = ctx.res().getOutputStream();
    feed.listening(1);
    try {
      Map<String, Long> seen = feed.versions();
      long version = feed.version();
      Sse.write(out, "retry: 2000\nevent: hello\ndata: {}\n\n");
      while (true) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return;
        }
        feed.await(version, Math.min(left, PING_MILLIS));
        long now = feed.version();
        if (now == version) {
          Sse.write(out, ": ping\n\n");
          continue;
        }
        Map<String, Long> versions = feed.versions();
        for (var e : versions.entrySet()) {
          if (!e.getValue().equals(seen.get(e.getKey()))) {
            Sse.write(out, "event: changed\ndata: {\"topic\":\"" + e.getKey() + "\"}\n\n");
          }
        }
        seen = versions;
        version = now;
      }
    } finally {
      feed.listening(-1);
    }
  }

  /** The few bytes of the Server-Sent Events format this package writes. */
  static final class Sse {
    private Sse() {}

    static void start(Context ctx) {
      ctx.contentType("text/event-stream; charset=utf-8");
      ctx.header("Cache-Control", "no-cache");
      ctx.header("X-Accel-Buffering", "no");
    }

    static void write(OutputStream out, String text) throws IOException {
      out.write(text.getBytes(StandardCharsets.UTF_8));
      out.flush();
    }
  }
}
