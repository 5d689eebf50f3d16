package dev.ocean.server.quota;

import dev.ocean.common.api.Quota;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Forbidden;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.user.Principal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Quotas: granted by an admin directly or by approving a request ({@link QuotaRequestService}),
 * ended by expiry or revocation, after which what they covered is reclaimed.
 *
 * <pre>
 * Quota:  active ──expires_at passes──▶ expired
 *            └ ──admin revokes────────▶ revoked
 * </pre>
 */
public final class QuotaService {
  private static final String QUOTA_SELECT =
      "SELECT q.*, u.email AS user_email, g.email AS granter_email FROM quotas q"
          + " JOIN users u ON u.id = q.user_id LEFT JOIN users g ON g.id = q.granted_by";

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final MachineTypeService machineTypes;
  private final QuotaLedger ledger;
  private final List<QuotaReclaimer> reclaimers = new CopyOnWriteArrayList<>();

  public QuotaService(
      Jdbi jdbi, Clock clock, AuditLog audit, MachineTypeService machineTypes, QuotaLedger ledger) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.machineTypes = machineTypes;
    this.ledger = ledger;
  }

  public void addReclaimer(QuotaReclaimer reclaimer) {
    reclaimers.add(reclaimer);
  }

  public Quota grant(Principal admin, Quota.Grant g) {
    Check.required("email", g.email());
    int count = Check.range("count", g.count(), 1, 1000);
    int days = Check.range("days", g.days(), 1, 365);
    return jdbi.inTransaction(
        h -> {
          machineTypes.require(h, "machineType", g.machineType());
          long userId = userId(h, g.email());
          long id = insertQuota(h, userId, g.machineType(), count, days, admin, null);
          return quota(h, id);
        });
  }

  public Revoked revoke(Principal admin, long id) {
    return jdbi.inTransaction(
        h -> {
          Quota q = quota(h, id);
          if (end(h, q, QuotaState.REVOKED) != 1) {
            throw new Conflict("quota " + id + " is already " + q.state());
          }
          audit.record(h, admin.email(), "quota.revoke", "quota/" + id, null);
          long user = userId(h, q.user());
          List<String> done = reclaim(h, user, q.machineType(), "quota revoked");
          List<String> said = new java.util.ArrayList<>(done);
          int over =
              ledger.inUse(h, user, q.machineType()) - ledger.granted(h, user, q.machineType());
          if (over > 0) {
            said.add(
                q.user()
                    + " still holds "
                    + over
                    + " "
                    + q.machineType()
                    + " beyond the quota left: running runs finish, instances beyond it stop within"
                    + " a minute");
          } else if (done.isEmpty()) {
            said.add("nothing of " + q.user() + "'s goes beyond the quota left");
          }
          return new Revoked(quota(h, id), said);
        });
  }

  /** A revoked quota, and what the revoke ended or will end, in sentences for the admin. */
  public record Revoked(Quota quota, List<String> consequences) {}

  /**
   * The caller's quotas (active only unless {@code allStates}), or everyone's for an admin, or one
   * user's by {@code userEmail} (may be null; unknown: {@link NotFound} naming {@code user}).
   */
  public List<Quota> quotas(Principal p, boolean everyone, boolean allStates, String userEmail) {
    if (everyone && !p.admin()) {
      throw new Forbidden("only admins can list everyone's quotas");
    }
    return jdbi.withHandle(
        h -> {
          Long user = everyone ? null : p.userId();
          if (everyone && userEmail != null) {
            user = userId(h, "user", userEmail);
          }
          String where =
              (user == null ? " WHERE 1 = 1" : " WHERE q.user_id = :user")
                  + (allStates ? "" : " AND q.state = 'active'");
          Map<String, Integer> usage = usage(h, user);
          return h.createQuery(QUOTA_SELECT + where + " ORDER BY q.id")
              .bindMap(user == null ? Map.of() : Map.of("user", user))
              .map((rs, ctx) -> quota(rs, usage))
              .collect(
                  java.util.stream.Collectors.collectingAndThen(
                      java.util.stream.Collectors.toList(), QuotaService::spread));
        });
  }

  /**
   * Turns each row's in-use count (the user's total for the machine type) into what that grant
   * covers: the total fills the user's active grants of the type oldest first, the newest one also
   * carries any excess (e.g. after a revoke); an ended grant covers nothing. So the rows of a type
   * add up to what is in use, and none looks oversubscribed while the grants together are not.
   */
  static List<Quota> spread(List<Quota> quotas) {
    Map<String, Integer> left = new HashMap<>();
    Map<String, Integer> last = new HashMap<>();
    for (int i = 0; i < quotas.size(); i++) {
      Quota q = quotas.get(i);
      if (q.state().equals("active")) {
        left.putIfAbsent(q.user() + "/" + q.machineType(), q.inUse());
        last.put(q.user() + "/" + q.machineType(), i);
      }
    }
    List<Quota> out = new ArrayList<>(quotas.size());
    for (int i = 0; i < quotas.size(); i++) {
      Quota q = quotas.get(i);
      String key = q.user() + "/" + q.machineType();
      int covers = 0;
      if (q.state().equals("active")) {
        int total = left.get(key);
        covers = last.get(key) == i ? total : Math.min(q.count(), total);
        left.put(key, total - covers);
      }
      out.add(
          new Quota(
              q.id(),
              q.user(),
              q.machineType(),
              q.count(),
              covers,
              q.state(),
              q.grantedAt(),
              q.expiresAt(),
              q.grantedBy(),
              q.requestId()));
    }
    return out;
  }

  /** Expires every active quota whose time is up and reclaims what it covered; returns count. */
  public int expireDue() {
    List<Quota> due =
        jdbi.withHandle(
            h ->
                h.createQuery(QUOTA_SELECT + " WHERE q.state = 'active' AND q.expires_at <= ?")
                    .bind(0, clock.millis())
                    .map((rs, ctx) -> quota(rs, Map.of()))
                    .list());
    for (Quota q : due) {
      jdbi.useTransaction(
          h -> {
            if (end(h, q, QuotaState.EXPIRED) == 1) {
              audit.record(h, "system", "quota.expire", "quota/" + q.id(), q.user());
              reclaim(h, userId(h, q.user()), q.machineType(), "quota expired");
            }
          });
    }
    return due.size();
  }

  /** Takes back what no longer fits the user's quota; returns what was ended, as audited. */
  private List<String> reclaim(Handle h, long userId, String machineType, String reason) {
    int allowed = ledger.granted(h, userId, machineType);
    List<String> done = new java.util.ArrayList<>();
    if (ledger.inUse(h, userId, machineType) <= allowed) {
      return done;
    }
    for (QuotaReclaimer r : reclaimers) {
      String what = r.reclaim(h, userId, machineType, allowed, reason);
      if (what != null) {
        audit.record(h, "system", "quota.reclaim", "user/" + userId, what);
        done.add(what);
      }
    }
    return done;
  }

  /**
   * Ends a quota through {@link QuotaState}'s table, guarded by the state it was read in; returns 1
   * when this call ended it, 0 when it had already ended.
   */
  private int end(Handle h, Quota q, QuotaState next) {
    QuotaState from = QuotaState.fromWireName(q.state());
    if (!from.canTransitionTo(next)) {
      return 0;
    }
    return h.createUpdate("UPDATE quotas SET state = ?, ended_at = ? WHERE id = ? AND state = ?")
        .bind(0, next.wireName())
        .bind(1, clock.millis())
        .bind(2, q.id())
        .bind(3, from.wireName())
        .execute();
  }

  long insertQuota(
      Handle h, long userId, String type, int count, int days, Principal admin, Long requestId) {
    long now = clock.millis();
    long id =
        h.createUpdate(
                "INSERT INTO quotas (user_id, machine_type, count, state, granted_at, expires_at,"
                    + " granted_by, request_id) VALUES (?, ?, ?, 'active', ?, ?, ?, ?)")
            .bind(0, userId)
            .bind(1, type)
            .bind(2, count)
            .bind(3, now)
            .bind(4, now + Duration.ofDays(days).toMillis())
            .bind(5, admin.userId())
            .bind(6, requestId)
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
    audit.record(
        h,
        admin.email(),
        "quota.grant",
        "quota/" + id,
        count
            + " x "
            + type
            + " for "
            + days
            + (days == 1 ? " day" : " days")
            + (requestId == null ? "" : " (request " + requestId + ")"));
    return id;
  }

  static long userId(Handle h, String email) {
    return userId(h, "email", email);
  }

  private static long userId(Handle h, String field, String email) {
    return h.createQuery("SELECT id FROM users WHERE email_lower = ?")
        .bind(0, email.trim().toLowerCase(Locale.ROOT))
        .mapTo(Long.class)
        .findOne()
        .orElseThrow(() -> new NotFound(field, "no user with email " + email));
  }

  private Quota quota(Handle h, long id) {
    // with its user's other active grants of the type, so what it covers is known (spread)
    List<Quota> mates =
        h.createQuery(
                QUOTA_SELECT
                    + " WHERE q.id = :id OR (q.state = 'active' AND EXISTS (SELECT 1 FROM quotas o"
                    + " WHERE o.id = :id AND o.user_id = q.user_id"
                    + " AND o.machine_type = q.machine_type)) ORDER BY q.id")
            .bind("id", id)
            .map((rs, ctx) -> quota(rs, usage(h, rs.getLong("user_id"))))
            .list();
    return spread(mates).stream()
        .filter(q -> q.id() == id)
        .findFirst()
        .orElseThrow(() -> new NotFound("no quota " + id));
  }

  /** Units in use per user and machine type (one user's, or everyone's for null), one query. */
  private static Map<String, Integer> usage(Handle h, Long userId) {
    Map<String, Integer> used = new HashMap<>();
    h.createQuery(
            "SELECT user_id, machine_type, SUM(units) AS n FROM allocations"
                + (userId == null ? "" : " WHERE user_id = :user")
                + " GROUP BY user_id, machine_type")
        .bindMap(userId == null ? Map.of() : Map.of("user", userId))
        .map(
            (rs, ctx) ->
                Map.entry(key(rs.getLong("user_id"), rs.getString("machine_type")), rs.getInt("n")))
        .forEach(e -> used.put(e.getKey(), e.getValue()));
    return used;
  }

  private static String key(long userId, String machineType) {
    return userId + "/" + machineType;
  }

  private static Quota quota(ResultSet rs, Map<String, Integer> usage) throws SQLException {
    return new Quota(
        rs.getLong("id"),
        rs.getString("user_email"),
        rs.getString("machine_type"),
        rs.getInt("count"),
        usage.getOrDefault(key(rs.getLong("user_id"), rs.getString("machine_type")), 0),
        rs.getString("state"),
        Instant.ofEpochMilli(rs.getLong("granted_at")),
        Instant.ofEpochMilli(rs.getLong("expires_at")),
        rs.getString("granter_email"),
        nullableLong(rs, "request_id"));
  }

  private static Long nullableLong(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
