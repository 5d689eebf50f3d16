package dev.ocean.server.catalog;

import dev.ocean.common.api.MachineType;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
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
  private final CatalogUse use;
  private final Remembered<MachineType> remembered = new Remembered<>();

  public MachineTypeService(Jdbi jdbi, Clock clock, AuditLog audit, CatalogUse use) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.use = use;
  }

  public MachineType create(Principal admin, MachineType.Create req) {
    Check.required("name", req.name());
    Check.rule("name", Rules.machineTypeName(req.name()));
    Shape shape = Shape.of(req.cpus(), req.memoryGib(), req.gpus(), req.gpuModel());
    int cpus = shape.cpus();
    int memory = shape.memoryGib();
    int gpus = shape.gpus();
    String model = shape.gpuModel();
    IdleStop idle = IdleStop.of(req.idleStopHours(), req.idleExtendMaxHours());
    try {
      return jdbi.inTransaction(
          h -> {
            if (find(h, req.name()).isPresent()) {
              throw nameTaken(req.name());
            }
            h.createUpdate(
                    "INSERT INTO machine_types (name, cpus, memory_gib, gpus, gpu_model, created_at,"
                        + " idle_stop_hours, idle_extend_max_hours) VALUES (?, ?, ?, ?, ?, ?, ?, ?)")
                .bind(0, req.name())
                .bind(1, cpus)
                .bind(2, memory)
                .bind(3, gpus)
                .bind(4, model)
                .bind(5, clock.millis())
                .bind(6, idle.stopHours())
                .bind(7, idle.extendMaxHours())
                .execute();
            remembered.forget();
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

  /** What a machine type gives, checked: CPUs, memory, whole GPUs and their model. */
  private record Shape(int cpus, int memoryGib, int gpus, String gpuModel) {
    static Shape of(Integer cpus, Integer memoryGib, Integer gpus, String gpuModel) {
      int c = Check.range("cpus", cpus, 1, 1024);
      int m = Check.range("memoryGib", memoryGib, 1, 65536);
      int g = Check.range("gpus", gpus, 0, 64);
      String model = gpuModel == null || gpuModel.isBlank() ? null : gpuModel.trim();
      Check.maxLength("gpuModel", model, 100);
      if (model != null && g == 0) {
        throw new Invalid("gpuModel", "gpuModel needs gpus of at least 1");
      }
      return new Shape(c, m, g, model);
    }
  }

  /**
   * Idle stop as stored: hours, or null when off; the extend cap null means the idle-stop value.
   */
  private record IdleStop(Integer stopHours, Integer extendMaxHours) {
    private static final int YEAR = 24 * 366;

    static IdleStop of(Integer stopHours, Integer extendMaxHours) {
      Integer stop = hours("idleStopHours", stopHours);
      // 0 reads as "no extending", which is not what a missing cap means: refused, not guessed
      Integer cap =
          extendMaxHours == null
              ? null
              : Check.range("idleExtendMaxHours", extendMaxHours, 1, YEAR);
      if (cap != null && stop == null) {
        throw new Invalid("idleExtendMaxHours", "idleExtendMaxHours needs idleStopHours");
      }
      return new IdleStop(stop, cap);
    }

    private static Integer hours(String field, Integer hours) {
      return hours == null || Check.range(field, hours, 0, YEAR) == 0 ? null : hours;
    }
  }

  /**
   * Changes what a machine type gives; fields left null keep their value, an empty GPU model clears
   * it. Jobs already submitted keep the shape they were admitted with.
   */
  public MachineType update(Principal admin, String name, MachineType.Create patch) {
    return jdbi.inTransaction(
        h -> {
          MachineType current =
              find(h, name).orElseThrow(() -> new NotFound("no machine type named " + name));
          Shape shape =
              Shape.of(
                  patch.cpus() != null ? patch.cpus() : current.cpus(),
                  patch.memoryGib() != null ? patch.memoryGib() : current.memoryGib(),
                  patch.gpus() != null ? patch.gpus() : current.gpus(),
                  patch.gpuModel() != null
                      ? patch.gpuModel()
                      // no GPUs have no model: --gpus 0 alone clears the stored one
                      : patch.gpus() != null && patch.gpus() == 0 ? null : current.gpuModel());
          Integer storedCap =
              h.createQuery("SELECT idle_extend_max_hours FROM machine_types WHERE name = ?")
                  .bind(0, name)
                  .mapTo(Integer.class)
                  .findOne()
                  .orElse(null);
          IdleStop idle =
              IdleStop.of(
                  patch.idleStopHours() != null ? patch.idleStopHours() : current.idleStopHours(),
                  patch.idleExtendMaxHours() != null
                      ? patch.idleExtendMaxHours()
                      : patch.idleStopHours() != null && patch.idleStopHours() == 0
                          ? null
                          : storedCap);
          h.createUpdate(
                  "UPDATE machine_types SET cpus = ?, memory_gib = ?, gpus = ?, gpu_model = ?,"
                      + " idle_stop_hours = ?, idle_extend_max_hours = ? WHERE name = ?")
              .bind(0, shape.cpus())
              .bind(1, shape.memoryGib())
              .bind(2, shape.gpus())
              .bind(3, shape.gpuModel())
              .bind(4, idle.stopHours())
              .bind(5, idle.extendMaxHours())
              .bind(6, name)
              .execute();
          remembered.forget();
          audit.record(
              h,
              admin.email(),
              "machine-type.update",
              "machine-type/" + name,
              shape.cpus()
                  + " CPU, "
                  + shape.memoryGib()
                  + " GiB, "
                  + shape.gpus()
                  + " GPU"
                  + (shape.gpuModel() == null ? "" : " " + shape.gpuModel()));
          return find(h, name).orElseThrow();
        });
  }

  public List<MachineType> list() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM machine_types ORDER BY name")
                .map((rs, ctx) -> map(rs))
                .list());
  }

  /** The machine type, or a 404 naming {@code field} when it does not exist. */
  public MachineType require(Handle h, String field, String name) {
    Check.required(field, name);
    return remembered
        .get(name, () -> find(h, name))
        .orElseThrow(
            () ->
                new NotFound(
                    field, "unknown machine type '" + name + "'; see `ocean machine-type list`"));
  }

  public void delete(Principal admin, String name) {
    jdbi.useTransaction(
        h -> {
          if (find(h, name).isEmpty()) {
            throw new NotFound("no machine type named " + name);
          }
          use.refuseWhileUsed(h, CatalogUse.Kind.MACHINE_TYPE, name);
          List<String> refs = CatalogReferences.of(h, name);
          if (!refs.isEmpty()) {
            throw new Conflict(
                "machine type "
                    + name
                    + " is still referenced by "
                    + String.join(", ", refs)
                    + "; clear "
                    + (refs.size() == 1 ? "it" : "them")
                    + " first");
          }
          int running =
              h.createQuery("SELECT COUNT(*) FROM allocations WHERE machine_type = :n")
                  .bind("n", name)
                  .mapTo(Integer.class)
                  .one();
          if (running > 0) {
            throw new Conflict("machine type " + name + " is still used by running work");
          }
          h.createUpdate("DELETE FROM machine_types WHERE name = ?").bind(0, name).execute();
          remembered.forget();
          audit.record(h, admin.email(), "machine-type.delete", "machine-type/" + name, null);
        });
  }

  private static Conflict nameTaken(String name) {
    return new Conflict("name", "machine type " + name + " already exists");
  }

  public static Optional<MachineType> find(Handle h, String name) {
    return h.createQuery("SELECT * FROM machine_types WHERE name = ?")
        .bind(0, name)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  private static MachineType map(java.sql.ResultSet rs) throws java.sql.SQLException {
    Integer idleStop =
        rs.getObject("idle_stop_hours") == null ? null : rs.getInt("idle_stop_hours");
    Integer cap =
        rs.getObject("idle_extend_max_hours") == null ? null : rs.getInt("idle_extend_max_hours");
    return new MachineType(
        rs.getString("name"),
        rs.getInt("cpus"),
        rs.getInt("memory_gib"),
        rs.getInt("gpus"),
        rs.getString("gpu_model"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        idleStop,
        idleStop == null ? null : cap == null ? idleStop : cap);
  }
}
