package dev.ocean.server.audit;

import dev.ocean.common.api.AuditEntry;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Records who did what to which resource. Writes take the caller's handle so the entry commits or
 * rolls back with the change it describes.
 */
public final class AuditLog {
  private final Jdbi jdbi;
  private final Clock clock;

  public AuditLog(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public void record(Handle h, String actor, String action, String resource, String detail) {
    h.createUpdate(
            "INSERT INTO audit_log (at, actor, action, resource, detail) VALUES (?, ?, ?, ?, ?)")
        .bind(0, clock.millis())
        .bind(1, actor)
        .bind(2, action)
        .bind(3, resource)
        .bind(4, detail)
        .execute();
  }

  /** Records what {@code actor} did to each of {@code resources}, with its detail, at once. */
  public void recordAll(
      Handle h, String actor, String action, List<String> resources, List<String> details) {
    if (resources.isEmpty()) {
      return;
    }
    long at = clock.millis();
    var rows =
        h.prepareBatch(
            "INSERT INTO audit_log (at, actor, action, resource, detail) VALUES (?, ?, ?, ?, ?)");
    for (int i = 0; i < resources.size(); i++) {
      rows.bind(0, at)
          .bind(1, actor)
          .bind(2, action)
          .bind(3, resources.get(i))
          .bind(4, details.get(i))
          .add();
    }
    rows.execute();
  }

  public List<AuditEntry> recent(int limit) {
    return jdbi.withHandle(
        h ->
            h.createQuery(
                    "SELECT id, at, actor, action, resource, detail FROM audit_log"
                        + " ORDER BY id DESC LIMIT :limit")
                .bind("limit", limit)
                .map(
                    (rs, ctx) ->
                        new AuditEntry(
                            rs.getLong("id"),
                            Instant.ofEpochMilli(rs.getLong("at")),
                            rs.getString("actor"),
                            rs.getString("action"),
                            rs.getString("resource"),
                            rs.getString("detail")))
                .list());
  }
}
