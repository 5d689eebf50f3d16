package dev.ocean.server.store;

import java.sql.SQLException;
import org.sqlite.SQLiteErrorCode;
import org.sqlite.SQLiteException;

/**
 * Recognises constraint violations from either database. Services check for a duplicate before they
 * insert, but on PostgreSQL two concurrent transactions can both pass that check (READ COMMITTED);
 * the unique index then refuses the second insert, and that must read as a conflict.
 */
public final class Constraints {
  private static final String PG_UNIQUE_VIOLATION = "23505";

  private Constraints() {}

  /** Whether {@code e}, or one of its causes, is a unique or primary key violation. */
  public static boolean isUniqueViolation(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLiteException s
          && (s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_UNIQUE
              || s.getResultCode() == SQLiteErrorCode.SQLITE_CONSTRAINT_PRIMARYKEY)) {
        return true;
      }
      if (t instanceof SQLException s && PG_UNIQUE_VIOLATION.equals(s.getSQLState())) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }
}
