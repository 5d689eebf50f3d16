package dev.ocean.server.job;

import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.JobBatch;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.catalog.ImageService;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.DomainException;
import dev.ocean.server.error.Forbidden;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.error.QuotaExceeded;
import dev.ocean.server.error.TooLarge;
import dev.ocean.server.quota.QuotaLedger;
import dev.ocean.server.user.Principal;
import dev.ocean.server.volume.VolumeService;
import java.time.Clock;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Many submissions at once, all or none: every job is checked before anything is written (its
 * fields, then its machine type, image and volume), the user's quota is checked last for the batch
 * as a whole, so a bad job is named even when the batch is also over quota, and every job is
 * admitted the way a single submission is ({@link JobService#admit}) inside one transaction. A
 * refusal names the job by its index: field {@code jobs[3].image}, detail {@code job 3: …}.
 */
public final class JobBatches {
  private final Jdbi jdbi;
  private final Clock clock;
  private final JobService jobs;
  private final MachineTypeService machineTypes;
  private final ImageService images;
  private final VolumeService volumes;
  private final QuotaLedger ledger;
  private final JobStore store;
  private final AuditLog audit;

  JobBatches(
      Jdbi jdbi,
      Clock clock,
      JobService jobs,
      JobStore store,
      AuditLog audit,
      MachineTypeService machineTypes,
      ImageService images,
      VolumeService volumes,
      QuotaLedger ledger) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.jobs = jobs;
    this.machineTypes = machineTypes;
    this.images = images;
    this.volumes = volumes;
    this.ledger = ledger;
    this.store = store;
    this.audit = audit;
  }

  /** Admits every job of the batch or none; returns their ids in the order given. */
  public List<Long> submit(Principal p, List<Job.Submit> batch) {
    if (batch == null || batch.isEmpty()) {
      throw new Invalid("jobs", "a batch needs at least one job");
    }
    if (batch.size() > JobBatch.MAX_JOBS) {
      throw new TooLarge(
          "jobs", "a batch holds at most " + JobBatch.MAX_JOBS + " jobs, not " + batch.size());
    }
    List<JobRequest> requests = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Job.Submit s = batch.get(i);
      if (s == null) {
        throw new Invalid("jobs[" + i + "]", "job " + i + " is null; give a job object");
      }
      requests.add(at(i, () -> JobRequest.check(s)));
    }
    long now = clock.millis();
    List<Long> ids =
        jdbi.inTransaction(
            h -> {
              checkCatalogue(h, p, batch);
              checkQuota(h, p, batch, requests);
              return admitAll(h, p, batch, requests, now);
            });
    jobs.queueChanged();
    return ids;
  }

  /**
   * Admits the checked jobs the way {@link JobService#admit} admits one (same rows: jobs, runs,
   * allocations, volume claims, audit entries), a table at a time instead of a job at a time.
   */
  private List<Long> admitAll(
      Handle h, Principal p, List<Job.Submit> batch, List<JobRequest> requests, long now) {
    List<BatchInserts.Row> rows = new ArrayList<>(batch.size());
    for (int i = 0; i < batch.size(); i++) {
      Job.Submit s = batch.get(i);
      rows.add(new BatchInserts.Row(s, requests.get(i), at(i, () -> admitted(h, p, s))));
    }
    long[] ids = BatchInserts.insert(h, store, p.userId(), rows, now);
    List<Long> out = new ArrayList<>(ids.length);
    List<QuotaLedger.Allocation> allocations = new ArrayList<>(ids.length);
    List<String> refs = new ArrayList<>(ids.length);
    List<String> details = new ArrayList<>(ids.length);
    for (int i = 0; i < ids.length; i++) {
      BatchInserts.Row r = rows.get(i);
      String ref = JobService.ref(ids[i]);
      if (p.workload() != null && p.workload().instanceId() != null) {
        // submitted from inside an instance: idle stop sees the instance is in use
        h.createUpdate("UPDATE jobs SET instance_id = ? WHERE id = ?")
            .bind(0, p.workload().instanceId())
            .bind(1, ids[i])
            .execute();
      }
      int units = Math.min(r.request().parallel(), r.request().repeat());
      allocations.add(
          new QuotaLedger.Allocation(r.admitted().type().name(), units, JobService.KIND, ref));
      if (r.admitted().volumeId() != null) {
        volumes.claim(h, r.admitted().volumeId(), JobService.KIND, ref);
      }
      refs.add(ref);
      details.add(
          r.request().repeat()
              + " run(s) of "
              + r.admitted().type().name()
              + " with "
              + r.admitted().image().name());
      out.add(ids[i]);
    }
    ledger.recordAll(h, p.userId(), allocations);
    audit.recordAll(h, p.email(), "job.submit", refs, details);
    return out;
  }

  /** A job's machine type, image and volume (checked: the user's, with room), as admitted. */
  private JobStore.Admitted admitted(Handle h, Principal p, Job.Submit s) {
    var type = machineTypes.require(h, "machineType", s.machineType());
    var image = images.require(h, "image", s.image());
    if (s.volume() == null || s.volume().isBlank()) {
      return new JobStore.Admitted(type, image, null, null);
    }
    long volumeId = volumes.requireOwn(h, "volume", p.userId(), s.volume());
    volumes.requireRoom(h, "volume", p.userId(), s.volume());
    return new JobStore.Admitted(
        type, image, volumeId, VolumeService.relativePath(p.userId(), s.volume()));
  }

  /**
   * Refuses the batch at its first job whose machine type, image or volume does not exist (or is
   * not the user's), before quota is looked at: each distinct name is looked up once.
   */
  private void checkCatalogue(Handle h, Principal p, List<Job.Submit> batch) {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < batch.size(); i++) {
      Job.Submit s = batch.get(i);
      if (seen.add("t:" + s.machineType())) {
        at(i, () -> machineTypes.require(h, "machineType", s.machineType()));
      }
      if (seen.add("i:" + s.image())) {
        at(i, () -> images.require(h, "image", s.image()));
      }
      if (s.volume() != null && !s.volume().isBlank() && seen.add("v:" + s.volume())) {
        at(i, () -> volumes.requireOwn(h, "volume", p.userId(), s.volume()));
      }
    }
  }

  /**
   * Refuses the batch when all its jobs together would take the user over a quota, before one is
   * written; the user's row stays locked until the batch commits, so its jobs need no check each.
   */
  private void checkQuota(Handle h, Principal p, List<Job.Submit> batch, List<JobRequest> reqs) {
    Map<String, Integer> units = new LinkedHashMap<>();
    for (int i = 0; i < batch.size(); i++) {
      String type = batch.get(i).machineType();
      JobRequest r = reqs.get(i);
      units.merge(type, Math.min(r.parallel(), r.repeat()), Integer::sum);
    }
    ledger.lockUser(h, p.userId());
    for (var e : units.entrySet()) {
      String type = e.getKey();
      QuotaLedger.Shortfall s = ledger.shortfall(h, p.userId(), type, e.getValue());
      if (s != null) {
        throw new QuotaExceeded(exceeded(type, s.granted(), s.used(), e.getValue(), batch.size()));
      }
    }
  }

  private static String exceeded(String type, int granted, int used, int asked, int jobs) {
    String head =
        granted == 0
            ? "you have no active quota for machine type " + type
            : "quota exceeded for machine type "
                + type
                + ": "
                + used
                + " of "
                + granted
                + (jobs == 1 ? " in use, the 1 job of this batch asks for " : " in use, the ")
                + (jobs == 1 ? "" : jobs + " jobs of this batch ask for ")
                + asked
                + " more";
    return head
        + "; nothing was submitted. Ask for more with `ocean quota request --machine-type "
        + type
        + " --count N --days D --reason R`";
  }

  /** Runs a check of job {@code i}; its refusal names the job: field jobs[i].F, "job i: …". */
  private static <T> T at(int i, Supplier<T> check) {
    try {
      return check.get();
    } catch (DomainException e) {
      String field = e.field() == null ? "jobs[" + i + "]" : "jobs[" + i + "]." + e.field();
      String detail = "job " + i + ": " + e.getMessage();
      throw switch (e) {
        case Invalid x -> new Invalid(field, detail);
        case NotFound x -> new NotFound(field, detail);
        case Conflict x -> new Conflict(field, detail, x.title());
        case Forbidden x -> new Forbidden(field, detail);
        case TooLarge x -> new TooLarge(field, detail);
        default -> e;
      };
    }
  }
}
