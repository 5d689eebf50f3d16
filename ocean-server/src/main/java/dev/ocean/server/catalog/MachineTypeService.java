package dev.ocean.server.catalog;

import dev.ocean.common.api.MachineType;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.http.ApiException;
import dev.ocean.server.http.Check;
import dev.ocean.server.store.Constraints;
import dev.ocean.server.user.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Machine types: the shapes (CPUs, memory, GPUs) that quotas, jobs and instances are sized by. */
public final class MachineTypeService {
  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;

  public MachineTypeService(Jdbi jdbi, Clock clock, AuditLog audit) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
  }

  public MachineType create(Principal admin, MachineType.Create req) {
    Check.required("name", req.name());
    Check.rule("name", Rules.machineTypeName(req.name()));
    int cpus = Check.range("cpus", req.cpus(), 1, 1024);
    int memory = Check.range("memoryGib", req.memoryGib(), 1, 65536);
    int gpus = Check.range("gpus", req.gpus(), 0, 64);
    String model =
        req.gpuModel() == null || req.gpuModel().isBlank() ? null : req.gpuModel().trim();
    Check.maxLength("gpuModel", model, 100);
    if (model != null && gpus == 0) {
      throw ApiException.badRequest("gpuModel", "gpuModel needs gpus of at least 1");
    }
    try {
      return jdbi.inTransaction(
          h -> {
            if (find(h, req.name()).isPresent()) {
              throw nameTaken(req.name());
            }
            h.createUpdate(
                    "INSERT INTO machine_types (name, cpus, memory_gib, gpus, gpu_model, created_at)"
                        + " VALUES (?, ?, ?, ?, ?, ?)")
                .bind(0, req.name())
                .bind(1, cpus)
                .bind(2, memory)
                .bind(3, gpus)
                .bind(4, model)
                .bind(5, clock.millis())
                .execute();
            audit.record(
                h,
                admin.email(),
                "machine-type.create",
                "machine-type/" + req.name(),
                cpus
                    + " CPU, "
                    + memory
                    + " GiB, "
                    + gpus
                    + " GPU"
                    + (model == null ? "" : " " + model));
            return find(h, req.name()).orElseThrow();
          });
    } catch (RuntimeException e) {
      if (Constraints.isUniqueViolation(e)) {
        throw nameTaken(req.name());
      }
      throw e;
    }
  }

  public List<MachineType> list() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM machine_types ORDER BY name")
                .map((rs, ctx) -> map(rs))
                .list());
  }

  /** The machine type, or a 400 naming {@code field} when it does not exist. */
  public MachineType require(Handle h, String field, String name) {
    Check.required(field, name);
    return find(h, name)
        .orElseThrow(
            () ->
                ApiException.badRequest(
                    field, "unknown machine type '" + name + "'; see `ocean machine-type list`"));
  }

  public void delete(Principal admin, String name) {
    jdbi.useTransaction(
        h -> {
          if (find(h, name).isEmpty()) {
            throw ApiException.notFound("no machine type named " + name);
          }
          int inUse =
              h.createQuery(
                      "SELECT (SELECT COUNT(*) FROM quotas WHERE machine_type = :n AND state ="
                          + " 'active') + (SELECT COUNT(*) FROM allocations WHERE machine_type ="
                          + " :n) + (SELECT COUNT(*) FROM quota_requests WHERE machine_type = :n"
                          + " AND state = 'pending')")
                  .bind("n", name)
                  .mapTo(Integer.class)
                  .one();
          if (inUse > 0) {
            throw ApiException.conflict(
                "machine type "
                    + name
                    + " is still referenced by active quotas, pending requests or running work");
          }
          h.createUpdate("DELETE FROM machine_types WHERE name = ?").bind(0, name).execute();
          audit.record(h, admin.email(), "machine-type.delete", "machine-type/" + name, null);
        });
  }

  private static ApiException nameTaken(String name) {
    return new ApiException(409, "Conflict", "machine type " + name + " already exists", "name");
  }

  public static Optional<MachineType> find(Handle h, String name) {
    return h.createQuery("SELECT * FROM machine_types WHERE name = ?")
        .bind(0, name)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  private static MachineType map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new MachineType(
        rs.getString("name"),
        rs.getInt("cpus"),
        rs.getInt("memory_gib"),
        rs.getInt("gpus"),
        rs.getString("gpu_model"),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }
}
