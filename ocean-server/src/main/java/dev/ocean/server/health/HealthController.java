package dev.ocean.server.health;

import dev.ocean.common.Version;
import dev.ocean.common.api.Health;
import dev.ocean.server.error.Unavailable;
import io.javalin.http.Context;
import io.javalin.http.HandlerType;
import java.util.Set;

/**
 * {@code /api/v1/health}, and the gate that stops the server from acknowledging changes while its
 * data directory cannot keep them (see {@link DataDirGuard}).
 */
public final class HealthController {
  private static final Set<HandlerType> CHANGES =
      Set.of(HandlerType.POST, HandlerType.PUT, HandlerType.PATCH, HandlerType.DELETE);

  private static final long RETRY_SECONDS = 5;

  private final DataDirGuard guard;

  public HealthController(DataDirGuard guard) {
    this.guard = guard;
  }

  /** 200 {@code {"status":"ok"}} while the server can keep data; else 503 with the reason. */
  public void health(Context ctx) {
    guard
        .failure()
        .ifPresent(
            reason -> {
              throw unavailable(reason);
            });
    ctx.json(new Health("ok", Version.VERSION));
  }

  /**
   * Runs before every API request: refuses requests that would change something, and every request
   * but this health check while the database does not answer (at once, rather than after the pool's
   * wait for a connection).
   */
  public void refuseChangesWhenFailing(Context ctx) {
    if (!ctx.path().endsWith("/health")) {
      guard
          .databaseFailure()
          .ifPresent(
              reason -> {
                throw new Unavailable(reason + "; try again once it answers", RETRY_SECONDS);
              });
    }
    if (CHANGES.contains(ctx.method())) {
      guard
          .failure()
          .ifPresent(
              reason -> {
                throw unavailable(reason + "; nothing was changed");
              });
    }
  }

  private static Unavailable unavailable(String detail) {
    return new Unavailable(detail);
  }
}
