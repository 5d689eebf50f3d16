package dev.ocean.server.health;

import dev.ocean.server.store.Database;
import java.sql.Connection;
import java.sql.SQLException;
import java.util.function.Supplier;

/**
 * For a server on PostgreSQL: whether its database answers, asked over a session of its own (a
 * pooled connection would wait for the pool first). Each {@link #get()} says what is wrong, in one
 * sentence naming the database's address (never its password), or null while it answers.
 */
public final class DatabaseProbe implements Supplier<String> {
  private static final int VALID_SECONDS = 3;

  private final Database database;
  private final String where;
  private Connection session;

  public DatabaseProbe(Database database, String jdbcUrl) {
    this.database = database;
    this.where = address(jdbcUrl);
  }

  @Override
  public synchronized String get() {
    try {
      if (session != null && session.isValid(VALID_SECONDS)) {
        return null;
      }
      close();
      session = database.connect();
      return null;
    } catch (SQLException e) {
      close();
      return "the database at " + where + " cannot be reached (" + reason(e) + ")";
    }
  }

  public synchronized void close() {
    if (session != null) {
      try {
        session.close();
      } catch (SQLException ignored) {
        // it is being replaced or the server stops
      }
      session = null;
    }
  }

  /** {@code host:port/name} of a {@code jdbc:postgresql://host:port/name?…} URL. */
  static String address(String jdbcUrl) {
    String rest = jdbcUrl.replaceFirst("^jdbc:postgresql://", "");
    int q = rest.indexOf('?');
    rest = q < 0 ? rest : rest.substring(0, q);
    int at = rest.lastIndexOf('@', rest.indexOf('/') < 0 ? rest.length() : rest.indexOf('/'));
    return at < 0 ? rest : rest.substring(at + 1);
  }

  /** The first line of the innermost cause's message: what the driver says went wrong. */
  public static String reason(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    String m = root.getMessage() != null ? root.getMessage() : e.getMessage();
    return m == null ? root.getClass().getSimpleName() : m.lines().findFirst().orElse(m);
  }
}
