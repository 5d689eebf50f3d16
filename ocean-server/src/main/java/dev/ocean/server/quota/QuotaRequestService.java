package dev.ocean.server.quota;

import dev.ocean.common.api.QuotaRequest;
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
import java.time.Instant;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Quota requests: users ask, admins approve (which grants a quota) or reject, owners cancel. Every
 * decision moves the request through {@link QuotaRequestState}'s table with a guarded UPDATE.
 */
public final class QuotaRequestService {
  private static final String SELECT =
      "SELECT r.*, u.email AS user_email, d.email AS decider_email FROM quota_requests r"
          + " JOIN users u ON u.id = r.user_id LEFT JOIN users d ON d.id = r.decided_by";

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final MachineTypeService machineTypes;
  private final QuotaService quotas;

  public QuotaRequestService(
      Jdbi jdbi,
      Clock clock,
      AuditLog audit,
      MachineTypeService machineTypes,
      QuotaService quotas) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.machineTypes = machineTypes;
    this.quotas = quotas;
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
                          + " state, created_at) VALUES (?, ?, ?, ?, ?, ?, ?)")
                  .bind(0, user.userId())
                  .bind(1, req.machineType())
                  .bind(2, count)
                  .bind(3, days)
                  .bind(4, reason)
                  .bind(5, QuotaRequestState.PENDING.wireName())
                  .bind(6, clock.millis())
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
          audit.record(
              h,
              user.email(),
              "quota-request.create",
              "quota-request/" + id,
              count + " x " + req.machineType() + " for " + days + (days == 1 ? " day" : " days"));
          return find(h, id);
        });
  }

  /** The caller's own requests, or everyone's for an admin asking with {@code everyone}. */
  public List<QuotaRequest> requests(Principal p, boolean everyone, boolean allStates) {
    if (everyone && !p.admin()) {
      throw new Forbidden("only admins can list everyone's quota requests");
    }
    String where =
        (everyone ? " WHERE 1 = 1" : " WHERE r.user_id = :user")
            + (allStates ? "" : " AND r.state = :pending");
    Map<String, Object> args = new java.util.HashMap<>();
    if (!everyone) {
      args.put("user", p.userId());
    }
    if (!allStates) {
      args.put("pending", QuotaRequestState.PENDING.wireName());
    }
    return jdbi.withHandle(
        h ->
            h.createQuery(SELECT + where + " ORDER BY r.id")
                .bindMap(args)
                .map((rs, ctx) -> map(rs))
                .list());
  }

  public QuotaRequest cancel(Principal p, long id) {
    return jdbi.inTransaction(
        h -> {
          QuotaRequest r = find(h, id);
          if (!r.user().equalsIgnoreCase(p.email())) {
            throw new NotFound("no quota request " + id);
          }
          return decide(h, p, r, QuotaRequestState.CANCELLED, null, null);
        });
  }

  public QuotaRequest approve(Principal admin, long id, String note) {
    Check.maxLength("note", note, 1000);
    return jdbi.inTransaction(
        h -> {
          QuotaRequest r = find(h, id);
          requireMove(r, QuotaRequestState.APPROVED);
          long quotaId =
              quotas.insertQuota(
                  h,
                  QuotaService.userId(h, r.user()),
                  r.machineType(),
                  r.count(),
                  r.days(),
                  admin,
                  id);
          return decide(h, admin, r, QuotaRequestState.APPROVED, note, quotaId);
        });
  }

  public QuotaRequest reject(Principal admin, long id, String note) {
    Check.required("note", note);
    Check.maxLength("note", note, 1000);
    return jdbi.inTransaction(
        h -> decide(h, admin, find(h, id), QuotaRequestState.REJECTED, note, null));
  }

  private static QuotaRequestState requireMove(QuotaRequest r, QuotaRequestState next) {
    QuotaRequestState from = QuotaRequestState.fromWireName(r.state());
    if (!from.canTransitionTo(next)) {
      throw new Conflict("quota request " + r.id() + " is already " + r.state());
    }
    return from;
  }

  /** Moves the request to {@code next}, guarded by the state it was read in. */
  private QuotaRequest decide(
      Handle h,
      Principal actor,
      QuotaRequest r,
      QuotaRequestState next,
      String note,
      Long quotaId) {
    QuotaRequestState from = requireMove(r, next);
    int n =
        h.createUpdate(
                "UPDATE quota_requests SET state = ?, note = ?, decided_by = ?, decided_at = ?,"
                    + " quota_id = ? WHERE id = ? AND state = ?")
            .bind(0, next.wireName())
            .bind(1, note)
            .bind(2, actor.userId())
            .bind(3, clock.millis())
            .bind(4, quotaId)
            .bind(5, r.id())
            .bind(6, from.wireName())
            .execute();
    if (n != 1) {
      throw new Conflict("quota request " + r.id() + " was decided by someone else just now");
    }
    audit.record(
        h, actor.email(), "quota-request." + next.action(), "quota-request/" + r.id(), note);
    return find(h, r.id());
  }

  private static QuotaRequest find(Handle h, long id) {
    return h.createQuery(SELECT + " WHERE r.id = ?")
        .bind(0, id)
        .map((rs, ctx) -> map(rs))
        .findOne()
        .orElseThrow(() -> new NotFound("no quota request " + id));
  }

  private static QuotaRequest map(ResultSet rs) throws SQLException {
    long decided = rs.getLong("decided_at");
    Instant decidedAt = rs.wasNull() ? null : Instant.ofEpochMilli(decided);
    long quota = rs.getLong("quota_id");
    Long quotaId = rs.wasNull() ? null : quota;
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
        decidedAt,
        quotaId);
  }
}
