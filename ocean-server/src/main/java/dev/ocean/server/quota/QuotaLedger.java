package dev.ocean.server.quota;

import dev.ocean.server.error.QuotaExceeded;
import java.time.Clock;
import org.jdbi.v3.core.Handle;

/**
 * Usage accounting: how many units of a machine type each user holds, admitted against their
 * unexpired quotas. Jobs and instances call it inside their own transaction, so the check and the
 * insert commit together; the user's row is locked first, so concurrent admissions serialize.
 */
public final class QuotaLedger {
  private final Clock clock;

  public QuotaLedger(Clock clock) {
    this.clock = clock;
  }

  /**
   * Records that {@code ref} of {@code kind} holds {@code units}, or refuses with "quota exceeded"
   * when that would take the user over their quota. Must run inside a transaction.
   */
  public void admit(Handle h, long userId, String machineType, int units, String kind, String ref) {
    lockUser(h, userId);
    Shortfall s = shortfall(h, userId, machineType, units);
    if (s != null) {
      throw new QuotaExceeded(exceeded(machineType, s.granted(), s.used(), units));
    }
    record(h, userId, machineType, units, kind, ref);
  }

  /** What a user's quota of a machine type holds when {@code units} more do not fit in it. */
  public record Shortfall(int granted, int used) {}

  /**
   * Null when {@code units} more of {@code machineType} fit in the user's quota, else what it
   * holds. The caller holds the user's lock ({@link #lockUser}) until it records them.
   */
  public Shortfall shortfall(Handle h, long userId, String machineType, int units) {
    int granted = granted(h, userId, machineType);
    int used = inUse(h, userId, machineType);
    return used + units > granted ? new Shortfall(granted, used) : null;
  }

  /**
   * Records an allocation the caller already checked against the quota in this transaction, with
   * the user's row locked (a batch of submissions checks its total once).
   */
  public void record(
      Handle h, long userId, String machineType, int units, String kind, String ref) {
    h.createUpdate(
            "INSERT INTO allocations (user_id, machine_type, units, kind, ref, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)")
        .bind(0, userId)
        .bind(1, machineType)
        .bind(2, units)
        .bind(3, kind)
        .bind(4, ref)
        .bind(5, clock.millis())
        .execute();
    addToTotal(h, userId, machineType, units);
  }

  private static void addToTotal(Handle h, long userId, String machineType, int units) {
    h.createUpdate(
            "INSERT INTO allocation_totals (user_id, machine_type, units) VALUES (?, ?, ?)"
                + " ON CONFLICT (user_id, machine_type) DO UPDATE SET units ="
                + " allocation_totals.units + excluded.units")
        .bind(0, userId)
        .bind(1, machineType)
        .bind(2, units)
        .execute();
  }

  /** One allocation of {@link #recordAll}. */
  public record Allocation(String machineType, int units, String kind, String ref) {}

  /**
   * Records many allocations of one user at once, like {@link #record} each (one batch of rows, one
   * change of each machine type's total), under the same conditions: checked, user locked.
   */
  public void recordAll(Handle h, long userId, java.util.List<Allocation> allocations) {
    if (allocations.isEmpty()) {
      return;
    }
    long now = clock.millis();
    var rows =
        h.prepareBatch(
            "INSERT INTO allocations (user_id, machine_type, units, kind, ref, created_at)"
                + " VALUES (?, ?, ?, ?, ?, ?)");
    java.util.Map<String, Integer> totals = new java.util.LinkedHashMap<>();
    for (Allocation a : allocations) {
      rows.bind(0, userId)
          .bind(1, a.machineType())
          .bind(2, a.units())
          .bind(3, a.kind())
          .bind(4, a.ref())
          .bind(5, now)
          .add();
      totals.merge(a.machineType(), a.units(), Integer::sum);
    }
    rows.execute();
    totals.forEach((type, units) -> addToTotal(h, userId, type, units));
  }

  /** Changes what an existing allocation holds (e.g. a job with fewer runs left); never grows. */
  public void shrink(Handle h, String kind, String ref, int units) {
    if (units <= 0) {
      release(h, kind, ref);
      return;
    }
    // Most calls change nothing: this one statement says so. When it matches, it holds the row
    // (PostgreSQL), so what is read next is what this transaction changes.
    if (lock(h, kind, ref, " AND units > ?", units) == 0) {
      return;
    }
    Held held = held(h, kind, ref);
    h.createUpdate("UPDATE allocations SET units = ? WHERE kind = ? AND ref = ?")
        .bind(0, units)
        .bind(1, kind)
        .bind(2, ref)
        .execute();
    subtract(h, held, held.units() - units);
  }

  public void release(Handle h, String kind, String ref) {
    if (lock(h, kind, ref, "", 0) == 0) {
      return;
    }
    Held held = held(h, kind, ref);
    h.createUpdate("DELETE FROM allocations WHERE kind = ? AND ref = ?")
        .bind(0, kind)
        .bind(1, ref)
        .execute();
    subtract(h, held, held.units());
  }

  private record Held(long userId, String machineType, int units) {}

  private static int lock(Handle h, String kind, String ref, String and, int units) {
    var update =
        h.createUpdate("UPDATE allocations SET units = units WHERE kind = ? AND ref = ?" + and)
            .bind(0, kind)
            .bind(1, ref);
    if (!and.isEmpty()) {
      update.bind(2, units);
    }
    return update.execute();
  }

  private static Held held(Handle h, String kind, String ref) {
    return h.createQuery(
            "SELECT user_id, machine_type, units FROM allocations WHERE kind = ? AND ref = ?")
        .bind(0, kind)
        .bind(1, ref)
        .map((rs, ctx) -> new Held(rs.getLong(1), rs.getString(2), rs.getInt(3)))
        .one();
  }

  private static void subtract(Handle h, Held held, int units) {
    h.createUpdate(
            "UPDATE allocation_totals SET units = units - ? WHERE user_id = ? AND machine_type = ?")
        .bind(0, units)
        .bind(1, held.userId())
        .bind(2, held.machineType())
        .execute();
  }

  /**
   * The units the user holds of {@code machineType}: kept as a total beside the allocations, so
   * admission reads one row however many jobs the user has queued.
   */
  public int inUse(Handle h, long userId, String machineType) {
    return h.createQuery(
            "SELECT units FROM allocation_totals WHERE user_id = ? AND machine_type = ?")
        .bind(0, userId)
        .bind(1, machineType)
        .mapTo(Integer.class)
        .findOne()
        .orElse(0);
  }

  public int granted(Handle h, long userId, String machineType) {
    return h.createQuery(
            "SELECT COALESCE(SUM(count), 0) FROM quotas WHERE user_id = ? AND machine_type = ?"
                + " AND state = 'active' AND expires_at > ?")
        .bind(0, userId)
        .bind(1, machineType)
        .bind(2, clock.millis())
        .mapTo(Integer.class)
        .one();
  }

  /** Takes the user's row lock (portable: an UPDATE locks in PostgreSQL and SQLite alike). */
  public void lockUser(Handle h, long userId) {
    h.createUpdate("UPDATE users SET lock_version = lock_version + 1 WHERE id = ?")
        .bind(0, userId)
        .execute();
  }

  private static String exceeded(String machineType, int granted, int used, int units) {
    String head =
        granted == 0
            ? "you have no active quota for machine type " + machineType
            : "quota exceeded for machine type "
                + machineType
                + ": "
                + used
                + " of "
                + granted
                + " in use, "
                + units
                + " more requested";
    return head
        + "; ask for more with `ocean quota request --machine-type "
        + machineType
        + " --count N --days D --reason R`";
  }
}
