package dev.ocean.server.quota;

import dev.ocean.common.api.Quota;
import dev.ocean.common.api.QuotaRequest;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Forbidden;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.http.Check;
import dev.ocean.server.user.Principal;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Quota requests and quotas.
 *
 * <pre>
 * QuotaRequest:  pending ──approve──▶ approved (creates a Quota)
 *                   │ ──reject───▶ rejected
 *                   └ ──cancel───▶ cancelled   (by its owner)
 * Quota:         active ──expires_at passes──▶ expired
 *                   └ ──admin revokes────────▶ revoked
 * </pre>
 */
public final class QuotaService {
  private static final String REQUEST_SELECT =
      "SELECT r.*, u.email AS user_email, d.email AS decider_email FROM quota_requests r"
          + " JOIN users u ON u.id = r.user_id LEFT JOIN users d ON d.id = r.decided_by";
  private static final String QUOTA_SELECT =
      "SELECT q.*, u.email AS user_email, g.email AS granter_email FROM quotas q"
          + " JOIN users u ON u.id = q.user_id LEFT JOIN users g ON g.id = q.granted_by";

  private static final java.util.Map<String, String> ACTIONS =
      java.util.Map.of("approved", "approve", "rejected", "reject", "cancelled", "cancel");

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

  public QuotaRequest request(Principal user, QuotaRequest.Create req) {
    int count = Check.range("count", req.count(), 1, 1000);
    int days = Check.range("days", req.days(), 1, 365);
    String reason = Check.required("reason", req.reason()).trim();
    Check.maxLength("reason", reason, 1000);
    return jdbi.inTransaction(
        h -> {
          machineTypes.require(h, "machineType", req.machineType());
          long id =
              h.createUpdate(
                      "INSERT INTO quota_requests (user_id, machine_type, count, days, reason,"
                          + " state, created_at) VALUES (?, ?, ?, ?, ?, 'pending', ?)")
                  .bind(0, user.userId())
                  .bind(1, req.machineType())
                  .bind(2, count)
                  .bind(3, days)
                  .bind(4, reason)
                  .bind(5, clock.millis())
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          audit.record(
              h,
              user.email(),
              "quota-request.create",
              "quota-request/" + id,
              count + " x " + req.machineType() + " for " + days + " days");
          return request(h, id);
        });
  }

  /** The caller's own requests, or everyone's for an admin asking with {@code everyone}. */
  public List<QuotaRequest> requests(Principal p, boolean everyone, boolean allStates) {
    if (everyone && !p.admin()) {
      throw new Forbidden("only admins can list everyone's quota requests");
    }
    String where =
        (everyone ? " WHERE 1 = 1" : " WHERE r.user_id = :user")
            + (allStates ? "" : " AND r.state = 'pending'");
    return jdbi.withHandle(
        h ->
            h.createQuery(REQUEST_SELECT + where + " ORDER BY r.id")
                .bindMap(everyone ? java.util.Map.of() : java.util.Map.of("user", p.userId()))
                .map((rs, ctx) -> request(rs))
                .list());
  }

  public QuotaRequest cancel(Principal p, long id) {
    return jdbi.inTransaction(
        h -> {
          QuotaRequest r = request(h, id);
          if (!r.user().equalsIgnoreCase(p.email())) {
            throw new NotFound("no quota request " + id);
          }
          return decide(h, p, r, "cancelled", null);
        });
  }

  public QuotaRequest approve(Principal admin, long id, String note) {
    Check.maxLength("note", note, 1000);
    return jdbi.inTransaction(
        h -> {
          QuotaRequest r = request(h, id);
          long userId = userId(h, r.user());
          long quotaId = insertQuota(h, userId, r.machineType(), r.count(), r.days(), admin, id);
          QuotaRequest decided = decide(h, admin, r, "approved", note);
          h.createUpdate("UPDATE quota_requests SET quota_id = ? WHERE id = ?")
              .bind(0, quotaId)
              .bind(1, id)
              .execute();
          return new QuotaRequest(
              decided.id(),
              decided.user(),
              decided.machineType(),
              decided.count(),
              decided.days(),
              decided.reason(),
              decided.state(),
              decided.note(),
              decided.decidedBy(),
              decided.createdAt(),
              decided.decidedAt(),
              quotaId);
        });
  }

  public QuotaRequest reject(Principal admin, long id, String note) {
    Check.required("note", note);
    Check.maxLength("note", note, 1000);
    return jdbi.inTransaction(h -> decide(h, admin, request(h, id), "rejected", note));
  }

  private QuotaRequest decide(
      Handle h, Principal actor, QuotaRequest r, String state, String note) {
    if (!r.state().equals("pending")) {
      throw new Conflict("quota request " + r.id() + " is already " + r.state());
    }
    h.createUpdate(
            "UPDATE quota_requests SET state = ?, note = ?, decided_by = ?, decided_at = ?"
                + " WHERE id = ? AND state = 'pending'")
        .bind(0, state)
        .bind(1, note)
        .bind(2, actor.userId())
        .bind(3, clock.millis())
        .bind(4, r.id())
        .execute();
    audit.record(
        h, actor.email(), "quota-request." + ACTIONS.get(state), "quota-request/" + r.id(), note);
    return request(h, r.id());
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

  public Quota revoke(Principal admin, long id) {
    return jdbi.inTransaction(
        h -> {
          Quota q = quota(h, id);
          if (!q.state().equals("active")) {
            throw new Conflict("quota " + id + " is already " + q.state());
          }
          end(h, id, "revoked");
          audit.record(h, admin.email(), "quota.revoke", "quota/" + id, null);
          reclaim(h, userId(h, q.user()), q.machineType(), "quota revoked");
          return quota(h, id);
        });
  }

  /** The caller's quotas (active only unless {@code allStates}), or everyone's for an admin. */
  public List<Quota> quotas(Principal p, boolean everyone, boolean allStates) {
    if (everyone && !p.admin()) {
      throw new Forbidden("only admins can list everyone's quotas");
    }
    String where =
        (everyone ? " WHERE 1 = 1" : " WHERE q.user_id = :user")
            + (allStates ? "" : " AND q.state = 'active'");
    return jdbi.withHandle(
        h ->
            h.createQuery(QUOTA_SELECT + where + " ORDER BY q.id")
                .bindMap(everyone ? java.util.Map.of() : java.util.Map.of("user", p.userId()))
                .map((rs, ctx) -> quota(h, rs))
                .list());
  }

  /** Expires every active quota whose time is up and reclaims what it covered; returns count. */
  public int expireDue() {
    List<Quota> due =
        jdbi.withHandle(
            h ->
                h.createQuery(QUOTA_SELECT + " WHERE q.state = 'active' AND q.expires_at <= ?")
                    .bind(0, clock.millis())
                    .map((rs, ctx) -> quota(h, rs))
                    .list());
    for (Quota q : due) {
      jdbi.useTransaction(
          h -> {
            if (end(h, q.id(), "expired") == 1) {
              audit.record(h, "system", "quota.expire", "quota/" + q.id(), q.user());
              reclaim(h, userId(h, q.user()), q.machineType(), "quota expired");
            }
          });
    }
    return due.size();
  }

  private void reclaim(Handle h, long userId, String machineType, String reason) {
    int allowed = ledger.granted(h, userId, machineType);
    if (ledger.inUse(h, userId, machineType) <= allowed) {
      return;
    }
    for (QuotaReclaimer r : reclaimers) {
      String what = r.reclaim(h, userId, machineType, allowed, reason);
      if (what != null) {
        audit.record(h, "system", "quota.reclaim", "user/" + userId, what);
      }
    }
  }

  private int end(Handle h, long id, String state) {
    return h.createUpdate(
            "UPDATE quotas SET state = ?, ended_at = ? WHERE id = ? AND state = 'active'")
        .bind(0, state)
        .bind(1, clock.millis())
        .bind(2, id)
        .execute();
  }

  private long insertQuota(
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
            + " days"
            + (requestId == null ? "" : " (request " + requestId + ")"));
    return id;
  }

  private static long userId(Handle h, String email) {
    return h.createQuery("SELECT id FROM users WHERE email_lower = ?")
        .bind(0, email.trim().toLowerCase(Locale.ROOT))
        .mapTo(Long.class)
        .findOne()
        .orElseThrow(() -> new NotFound("email", "no user with email " + email));
  }

  private static QuotaRequest request(Handle h, long id) {
    return h.createQuery(REQUEST_SELECT + " WHERE r.id = ?")
        .bind(0, id)
        .map((rs, ctx) -> request(rs))
        .findOne()
        .orElseThrow(() -> new NotFound("no quota request " + id));
  }

  private Quota quota(Handle h, long id) {
    return h.createQuery(QUOTA_SELECT + " WHERE q.id = ?")
        .bind(0, id)
        .map((rs, ctx) -> quota(h, rs))
        .findOne()
        .orElseThrow(() -> new NotFound("no quota " + id));
  }

  private static QuotaRequest request(ResultSet rs) throws SQLException {
    return new QuotaRequest(
        rs.getLong("id"),
        rs.getString("user_email"),
        rs.getString("machine_type"),
        rs.getInt("count"),
        rs.getInt("days"),
        rs.getString("reason"),
        rs.getString("state"),
        rs.getString("note"),
        rs.getString("decider_email"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        instant(rs, "decided_at"),
        nullableLong(rs, "quota_id"));
  }

  private Quota quota(Handle h, ResultSet rs) throws SQLException {
    return new Quota(
        rs.getLong("id"),
        rs.getString("user_email"),
        rs.getString("machine_type"),
        rs.getInt("count"),
        ledger.inUse(h, rs.getLong("user_id"), rs.getString("machine_type")),
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
