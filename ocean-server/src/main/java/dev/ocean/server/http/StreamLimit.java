package dev.ocean.server.http;

import dev.ocean.server.error.TooManyAttempts;
import dev.ocean.server.user.Principal;
import io.javalin.http.Handler;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Bounds the streams one account holds open at once (change events, log events, followed logs,
 * waits): each holds a connection and a thread until it ends, so without a bound one user, or a
 * leaked workload token, could take every file descriptor of the server. Over the bound a request
 * is refused with 429 and a {@code Retry-After}, as tunnels are. Admins are not bounded: they can
 * stop the server anyway, and the benchmarks follow one log a hundred times as admin.
 */
public final class StreamLimit {
  /** Streams one account may hold open at once. */
  public static final int PER_USER = 64;

  private final int max;
  private final Map<Long, AtomicInteger> open = new ConcurrentHashMap<>();

  public StreamLimit(int max) {
    this.max = max;
  }

  /** {@code handler}, run only while the caller holds fewer than the bound of streams. */
  public Handler around(Handler handler) {
    return ctx -> {
      Principal p = Auth.principal(ctx);
      if (p.admin()) {
        handler.handle(ctx);
        return;
      }
      AtomicInteger held = open.computeIfAbsent(p.userId(), id -> new AtomicInteger());
      if (held.incrementAndGet() > max) {
        held.decrementAndGet();
        throw new TooManyAttempts(
            "you have "
                + max
                + " streams open (followed logs, waits, event streams); close some first",
            5);
      }
      try {
        handler.handle(ctx);
      } finally {
        held.decrementAndGet();
      }
    };
  }
}
