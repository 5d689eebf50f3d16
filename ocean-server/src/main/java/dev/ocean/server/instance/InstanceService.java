package dev.ocean.server.instance;

import dev.ocean.common.api.Image;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.catalog.CatalogUse;
import dev.ocean.server.catalog.ImageService;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Forbidden;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.job.InstanceJobs;
import dev.ocean.server.quota.QuotaLedger;
import dev.ocean.server.store.Constraints;
import dev.ocean.server.user.Principal;
import dev.ocean.server.volume.VolumeService;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Instances: create (admitted against quota: one unit of the machine type from create until delete,
 * also while stopped), list, get, stop, start, delete. An instance's starts are runs of its hidden
 * job ({@link InstanceJobs}), so they queue FIFO with jobs; its state follows the current run
 * through {@link InstanceLifecycle}.
 */
public final class InstanceService {
  /** The quota ledger's and volume claims' kind for instances. */
  static final String KIND = "instance";

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final MachineTypeService machineTypes;
  private final ImageService images;
  private final VolumeService volumes;
  private final QuotaLedger ledger;
  private final InstanceJobs jobs;
  private final InstanceLifecycle lifecycle;
  private final InstanceViews views;
  private final InstanceAccess access;

  public InstanceService(
      Jdbi jdbi,
      Clock clock,
      AuditLog audit,
      MachineTypeService machineTypes,
      ImageService images,
      VolumeService volumes,
      QuotaLedger ledger,
      InstanceJobs jobs) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.machineTypes = machineTypes;
    this.images = images;
    this.volumes = volumes;
    this.ledger = ledger;
    this.jobs = jobs;
    this.lifecycle = new InstanceLifecycle(clock, jobs);
    this.views = new InstanceViews(jobs);
    this.access = new InstanceAccess(lifecycle);
  }

  /** What the job package calls when an instance's run changes or the agent needs its spec. */
  /** Shows each instance's idle-stop outlook from {@code source}. */
  public void idleOutlookFrom(
      java.util.function.BiFunction<Handle, Long, Instance.IdleOutlook> source) {
    views.outlookFrom(source);
  }

  public InstanceFollower follower() {
    return new InstanceFollower(lifecycle);
  }

  /**
   * A live instance that uses a catalogue entry and what frees it (deleting it: a stopped one still
   * holds it), for {@link CatalogUse}.
   */
  public static Optional<String> activeUser(Handle h, CatalogUse.Kind kind, String name) {
    String column = kind == CatalogUse.Kind.IMAGE ? "j.image_name" : "j.machine_type";
    return h.createQuery(
            "SELECT i.name, u.email FROM instances i JOIN jobs j ON j.id = i.job_id JOIN users u"
                + " ON u.id = i.user_id WHERE i.deleted_at IS NULL AND "
                + column
                + " = ? ORDER BY i.id")
        .bind(0, name)
        .map(
            (rs, ctx) ->
                "instance "
                    + rs.getString("name")
                    + " of "
                    + rs.getString("email")
                    + "; the instance must be deleted first")
        .findFirst();
  }

  public Instance create(Principal p, Instance.Create c) {
    Check.required("name", c.name());
    Check.rule("name", Rules.resourceName("instance", c.name()));
    Check.required("machineType", c.machineType());
    Check.required("image", c.image());
    Check.rule("reason", Rules.text("reason", c.reason(), Rules.TEXT_MAX, false));
    String volume = c.volume() == null || c.volume().isBlank() ? null : c.volume();
    try {
      long[] jobId = new long[1];
      long id =
          jdbi.inTransaction(
              h -> {
                if (lifecycle.find(h, p.userId(), c.name()).isPresent()) {
                  throw nameTaken(c.name());
                }
                var type = machineTypes.require(h, "machineType", c.machineType());
                Image image = images.require(h, "image", c.image());
                if (!Image.CONTAINER.equals(image.kind())) {
                  throw new Invalid(
                      "image",
                      "image "
                          + image.name()
                          + " is the nodes' host system; an instance needs a container image");
                }
                Long volumeId = null;
                String volumePath = null;
                if (volume != null) {
                  volumeId = volumes.requireOwn(h, "volume", p.userId(), volume);
                  volumePath = VolumeService.relativePath(p.userId(), volume);
                }
                long now = clock.millis();
                jobId[0] =
                    jobs.create(
                        h,
                        p.userId(),
                        c.name(),
                        c.reason(),
                        type,
                        image,
                        volumeId,
                        volume,
                        volumePath,
                        now);
                long instanceId = lifecycle.create(h, p.userId(), c.name(), jobId[0]);
                ledger.admit(h, p.userId(), type.name(), 1, KIND, ref(instanceId));
                if (volumeId != null) {
                  volumes.claim(h, volumeId, KIND, ref(instanceId));
                }
                audit.record(
                    h,
                    p.email(),
                    "instance.create",
                    "instance/" + c.name(),
                    type.name() + " with " + image.name());
                return instanceId;
              });
      jobs.wake(jobId[0], List.of());
      return jdbi.withHandle(h -> views.one(h, id));
    } catch (RuntimeException e) {
      if (Constraints.isUniqueViolation(e)) {
        throw nameTaken(c.name());
      }
      throw e;
    }
  }

  /** The caller's instances; every user's for an admin asking with {@code everyone}. */
  public List<Instance> list(Principal p, boolean everyone) {
    if (everyone && !p.admin()) {
      throw new Forbidden("only admins can list everyone's instances");
    }
    return jdbi.withHandle(h -> views.of(h, everyone ? null : p.userId()));
  }

  public Instance get(Principal p, String name, String user) {
    return jdbi.withHandle(h -> views.one(h, access.require(h, p, name, user).id()));
  }

  /** Stops the instance's run; it keeps its quota unit, name, volume and host key. */
  public Instance stop(Principal p, String name, String user) {
    long[] job = new long[1];
    List<String> nodes =
        jdbi.inTransaction(
            h -> {
              var r = access.require(h, p, name, user);
              job[0] = r.jobId();
              if (!r.state().isActive()) {
                throw new Conflict("instance " + name + " is already " + r.state().wireName());
              }
              audit.record(
                  h, p.email(), "instance.stop", "instance/" + name, InstanceAccess.owner(h, r, p));
              return jobs.stop(h, r.jobId(), InstanceAccess.stoppedBy(p, r), clock.millis());
            });
    jobs.wake(job[0], nodes);
    return get(p, name, user);
  }

  /**
   * Stops an instance for the server itself (idle stop, an expired quota), recording {@code
   * reason}; an instance that is not active or is gone is left as it is.
   */
  public void stopFor(long instanceId, String reason) {
    stopAs("system", instanceId, reason);
  }

  /**
   * Stops every active instance of the user, as {@code actor} with {@code reason} (an admin
   * disabled the account); returns how many it stopped.
   */
  public int stopAllOf(long userId, String reason, String actor) {
    var active = jdbi.withHandle(h -> lifecycle.activeOf(h, userId));
    int stopped = 0;
    for (var r : active) {
      stopped += stopAs(actor, r.id(), reason) ? 1 : 0;
    }
    return stopped;
  }

  private boolean stopAs(String actor, long instanceId, String reason) {
    long[] job = new long[1];
    List<String> nodes =
        jdbi.inTransaction(
            h -> {
              var r = lifecycle.byId(h, instanceId);
              if (r.isEmpty() || !r.get().state().isActive()) {
                return List.<String>of();
              }
              job[0] = r.get().jobId();
              audit.record(h, actor, "instance.stop", "instance/" + r.get().name(), reason);
              return jobs.stop(h, r.get().jobId(), reason, clock.millis());
            });
    if (job[0] != 0) {
      jobs.wake(job[0], nodes);
    }
    return job[0] != 0;
  }

  /** Queues a new start of a stopped or failed instance (FIFO with jobs). */
  public Instance start(Principal p, String name, String user) {
    long job =
        jdbi.inTransaction(
            h -> {
              var r = access.require(h, p, name, user);
              if (!r.state().isActive()) {
                InstanceQuota.requireCovered(h, ledger, r);
              }
              lifecycle.move(h, r, InstanceState.PENDING, null);
              jobs.start(h, r.jobId(), clock.millis());
              audit.record(
                  h,
                  p.email(),
                  "instance.start",
                  "instance/" + name,
                  InstanceAccess.owner(h, r, p));
              return r.jobId();
            });
    jobs.wake(job, List.of());
    return get(p, name, user);
  }

  /** Stops it if active, then deletes it: frees its quota unit, its volume claim and its name. */
  public void delete(Principal p, String name, String user) {
    long[] job = new long[1];
    List<String> nodes =
        jdbi.inTransaction(
            h -> {
              var r = access.require(h, p, name, user);
              job[0] = r.jobId();
              List<String> held =
                  r.state().isActive()
                      ? jobs.stop(h, r.jobId(), "deleted", clock.millis())
                      : List.of();
              // Read again: stopping may have moved it (a pending one is stopped at once).
              var now = lifecycle.find(h, r.userId(), name).orElseThrow();
              lifecycle.move(h, now, InstanceState.DELETED, "deleted");
              ledger.release(h, KIND, ref(r.id()));
              volumes.unclaim(h, KIND, ref(r.id()));
              audit.record(
                  h,
                  p.email(),
                  "instance.delete",
                  "instance/" + name,
                  InstanceAccess.owner(h, r, p));
              return held;
            });
    jobs.wake(job[0], nodes);
  }

  /** The hidden job and current run index whose log is the instance's log. */
  public record LogTarget(long jobId, int run) {}

  public LogTarget logTarget(Principal p, String name, String user) {
    return jdbi.withHandle(
        h -> {
          var r = access.require(h, p, name, user);
          int run = jobs.current(h, r.jobId()).map(InstanceJobs.CurrentRun::index).orElse(0);
          return new LogTarget(r.jobId(), run);
        });
  }

  /** Whether that run of the instance has ended (its log will not grow). */
  public boolean ended(LogTarget t) {
    return jdbi.withHandle(
        h ->
            jobs.current(h, t.jobId())
                .map(
                    c ->
                        c.index() != t.run()
                            || !List.of("pending", "assigned", "running").contains(c.state()))
                .orElse(true));
  }

  static String ref(long instanceId) {
    return "instance/" + instanceId;
  }

  private static Conflict nameTaken(String name) {
    return new Conflict("name", "you already have an instance named " + name);
  }
}
