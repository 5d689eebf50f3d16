package dev.ocean.server.http;

import dev.ocean.server.health.DatabaseProbe;
import java.sql.SQLException;
import java.sql.SQLTransientConnectionException;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;

/**
 * A request that failed because the database did not answer (PostgreSQL stopped or unreachable, the
 * pool waited in vain for a connection): 503 with {@code Retry-After} instead of a 500, and one log
 * line every 10 s at most instead of a stack trace per request.
 */
final class DatabaseDown {
  static final long RETRY_SECONDS = 5;
  static final String SENTENCE =
      "the server cannot reach its database right now; try again shortly (its log says why)";
  private static final long LOG_EVERY_NANOS = 10_000_000_000L;
  private static final AtomicLong loggedAt = new AtomicLong(System.nanoTime() - LOG_EVERY_NANOS);

  private DatabaseDown() {}

  /** Whether {@code e} or a cause is a failure to reach the database (SQLSTATE class 08). */
  static boolean in(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause() == t ? null : t.getCause()) {
      if (t instanceof SQLTransientConnectionException) {
        return true;
      }
      if (t instanceof SQLException sql
          && sql.getSQLState() != null
          && sql.getSQLState().startsWith("08")) {
        return true;
      }
    }
    return false;
  }

  static void log(Logger log, Throwable e) {
    long last = loggedAt.get();
    long now = System.nanoTime();
    if (now - last >= LOG_EVERY_NANOS && loggedAt.compareAndSet(last, now)) {
      log.warn("requests fail: the database does not answer ({})", DatabaseProbe.reason(e));
    }
  }
}
