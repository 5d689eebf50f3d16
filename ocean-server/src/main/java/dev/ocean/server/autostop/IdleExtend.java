package dev.ocean.server.autostop;

import dev.ocean.common.api.instance.InstanceExtend;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Forbidden;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.user.Principal;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.Locale;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code ocean instance extend}: its owner keeps an idle instance from being stopped for a while,
 * up to the machine type's cap counted from now ({@code --idle-extend-max}); asking for more is
 * clamped to the cap and the answer says so, so a script asking for "a lot" still gets the most.
 */
public final class IdleExtend {
  private static final DateTimeFormatter HH_MM =
      DateTimeFormatter.ofPattern("HH:mm 'UTC'").withZone(ZoneOffset.UTC);

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final IdleWatch watch;

  public IdleExtend(Jdbi jdbi, Clock clock, AuditLog audit, IdleWatch watch) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.watch = watch;
  }

  private record Target(long id, Integer idleStopHours, Integer capHours) {}

  /**
   * Extends {@code name} of the caller, or of the user {@code owner} names (an email; admins only).
   */
  public InstanceExtend.Result extend(Principal p, String owner, String name, Integer hours) {
    if (hours != null && hours < 1) {
      throw new Invalid("hours", "hours must be at least 1, not " + hours);
    }
    if (owner != null && !p.admin()) {
      throw new Forbidden("only admins can name another user's instance");
    }
    return jdbi.inTransaction(
        h -> {
          long userId =
              owner == null
                  ? p.userId()
                  : h.createQuery("SELECT id FROM users WHERE email_lower = ?")
                      .bind(0, owner.strip().toLowerCase(Locale.ROOT))
                      .mapTo(Long.class)
                      .findOne()
                      .orElseThrow(() -> new NotFound("user", "no user " + owner));
          Target t =
              h.createQuery(
                      "SELECT i.id, m.idle_stop_hours, m.idle_extend_max_hours FROM instances i"
                          + " JOIN jobs j ON j.id = i.job_id JOIN machine_types m ON m.name ="
                          + " j.machine_type WHERE i.user_id = ? AND i.name = ? AND i.deleted_at"
                          + " IS NULL")
                  .bind(0, userId)
                  .bind(1, name)
                  .map(
                      (rs, ctx) ->
                          new Target(
                              rs.getLong("id"),
                              nullableInt(rs, "idle_stop_hours"),
                              nullableInt(rs, "idle_extend_max_hours")))
                  .findOne()
                  .orElseThrow(
                      () ->
                          new NotFound(
                              "no instance named " + name + "; see `ocean instance list`"));
          if (t.idleStopHours() == null) {
            throw new Conflict(
                "instance "
                    + name
                    + " is never stopped for being idle; there is nothing to extend");
          }
          int cap = t.capHours() == null || t.capHours() == 0 ? t.idleStopHours() : t.capHours();
          int asked = hours == null ? cap : hours;
          boolean capped = asked > cap;
          Instant now = clock.instant();
          Instant until = now.plus(Duration.ofHours(Math.min(asked, cap)));
          h.createUpdate("UPDATE instances SET extended_until = ? WHERE id = ?")
              .bind(0, until.toEpochMilli())
              .bind(1, t.id())
              .execute();
          audit.record(h, p.email(), "instance.extend", "instance/" + name, "until " + until);
          String message =
              "Instance "
                  + name
                  + " will not be stopped for being idle before "
                  + HH_MM.format(until)
                  + (capped
                      ? " (you asked for "
                          + asked
                          + " h; the admin allows at most "
                          + cap
                          + " h from now)."
                      : ".");
          watch.heeded(userId, name);
          return new InstanceExtend.Result(
              name, until, capped, cap, watch.outlook(h, t.id()), message);
        });
  }

  /** SQLite's driver cannot read a NULL as {@code Integer}; this reads it as null on both. */
  private static Integer nullableInt(java.sql.ResultSet rs, String column)
      throws java.sql.SQLException {
    int v = rs.getInt(column);
    return rs.wasNull() ? null : v;
  }
}
