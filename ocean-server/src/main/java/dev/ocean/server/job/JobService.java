package dev.ocean.server.job;

import com.fasterxml.jackson.core.JsonFactory;
import dev.ocean.common.api.agent.EndReason;
import dev.ocean.common.api.agent.RunId;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.catalog.ImageService;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Forbidden;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.node.NodeRef;
import dev.ocean.server.quota.QuotaLedger;
import dev.ocean.server.scheduler.Placement;
import dev.ocean.server.store.GroupCommit;
import dev.ocean.server.user.Principal;
import dev.ocean.server.volume.VolumeService;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.time.Clock;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Jobs: submission (admitted against quota in the same transaction), cancellation, the reports
 * agents send about runs; node loss and reconciliation are in {@link RunRecovery}. Every run change
 * goes through {@link RunLifecycle}, every job state through {@link JobSettlement}; the SQL lives
 * in {@link JobStore}.
 */
public final class JobService {
  static final String KIND = "job";

  /** The kind of an instance's hidden job, whose runs are the instance's starts. */
  public static final String INSTANCE_KIND = "instance";

  /** The reason of a run failed because its node was lost or removed. */
  static final String NODE_LOST = EndReason.NODE_LOST.text();

  /** The reason a run shows while it waits again after its node was lost. */
  static final String REQUEUED = EndReason.REQUEUED.text();

  private static final List<String> STATES =
      List.of("pending", "running", "succeeded", "failed", "cancelled");

  private final Jdbi jdbi;
  private final GroupCommit writes;
  private final Clock clock;
  private final AuditLog audit;
  private final JobStore store;
  private final MachineTypeService machineTypes;
  private final ImageService images;
  private final VolumeService volumes;
  private final QuotaLedger ledger;
  private final Signals signals;
  private final WaitBoard waits;
  private final RunLifecycle runs = new RunLifecycle();
  private final JobSettlement settlement;
  private final LogStore logs;
  private final RunRecovery recovery;
  private final InstanceJobs instanceJobs;
  private final JobBatches batches;
  private final RunReporting reporting;
  private final OwnerCancel ownerCancel;
  private final JobListing listing;
  private Runnable kick = () -> {};
  private Runnable submitted = () -> {};
  private volatile InstanceRuns instances = InstanceRuns.NONE;

  public JobService(
      Jdbi jdbi,
      GroupCommit writes,
      Clock clock,
      AuditLog audit,
      JobStore store,
      MachineTypeService machineTypes,
      ImageService images,
      VolumeService volumes,
      QuotaLedger ledger,
      Signals signals,
      WaitBoard waits,
      LogStore logs) {
    this.jdbi = jdbi;
    this.writes = writes;
    this.clock = clock;
    this.audit = audit;
    this.store = store;
    this.machineTypes = machineTypes;
    this.images = images;
    this.volumes = volumes;
    this.ledger = ledger;
    this.signals = signals;
    this.waits = waits;
    this.logs = logs;
    this.settlement = new JobSettlement(clock, audit, store, ledger, volumes, runs);
    this.recovery =
        new RunRecovery(
            jdbi, clock, audit, runs, settlement, logs, signals, () -> kick.run(), this::report);
    this.instanceJobs = new InstanceJobs(store, runs, settlement, signals, waits, () -> this.kick);
    this.listing = new JobListing(store, waits, new ReadSnapshot(jdbi));
    this.ownerCancel = new OwnerCancel(jdbi, clock, audit, store, runs, instanceJobs);
    this.batches =
        new JobBatches(jdbi, clock, this, store, audit, machineTypes, images, volumes, ledger);
    this.reporting =
        new RunReporting(
            writes, clock, runs, settlement, signals, logs, () -> instances, () -> kick.run());
  }

  /** Submissions of many jobs at once, all or none. */
  public JobBatches batches() {
    return batches;
  }

  /**
   * How long a running instance on a lost node waits for its agent to come back before it fails
   * (jobs fail at once).
   */
  public void instanceGrace(java.time.Duration grace) {
    recovery.instanceGrace(grace);
  }

  /**
   * The server's start (epoch ms): a node lost after it, silent since before it, counts its
   * instances' grace from the start, not from its last heartbeat.
   */
  public void graceFrom(java.util.function.LongSupplier from) {
    recovery.graceFrom(from);
  }

  /** Instances' hidden jobs, for the instance package. */
  public InstanceJobs instanceJobs() {
    return instanceJobs;
  }

  /** What to call when the queue or the cluster changed (the scheduler's wake-up). */
  public void onQueueChange(Runnable kick) {
    this.kick = kick;
  }

  /** What to call when jobs were submitted: a wake-up that may wait for the scheduler's rest. */
  public void onSubmission(Runnable submitted) {
    this.submitted = submitted;
  }

  /** Plugs instances in: their hidden jobs' runs are reported to {@code instances}. */
  public void instances(InstanceRuns instances) {
    this.instances = instances;
    settlement.instances(instances);
  }

  public Job submit(Principal p, Job.Submit s) {
    JobRequest req = JobRequest.check(s);
    long now = clock.millis();
    // Concurrent submissions share one commit; each still gets its own refusal.
    Job job = writes.write(h -> admit(h, p, s, req, now));
    submitted.run();
    return job; // as stored: reading it back would cost three queries per submission
  }

  /**
   * Inserts one checked submission inside the caller's transaction: its catalogue entries, volume
   * and quota are checked, the job and its runs inserted and audited; returns the job as stored.
   * Batches ({@link JobBatches}) write the same rows a table at a time.
   */
  Job admit(Handle h, Principal p, Job.Submit s, JobRequest req, long now) {
    var type = machineTypes.require(h, "machineType", s.machineType());
    var image = images.require(h, "image", s.image());
    Long volumeId = null;
    String volumePath = null;
    if (s.volume() != null && !s.volume().isBlank()) {
      volumeId = volumes.requireOwn(h, "volume", p.userId(), s.volume());
      volumes.requireRoom(h, "volume", p.userId(), s.volume());
      volumePath = VolumeService.relativePath(p.userId(), s.volume());
    }
    var admitted = new JobStore.Admitted(type, image, volumeId, volumePath);
    long jobId = store.insert(h, p.userId(), s, req, admitted, now);
    if (p.workload() != null && p.workload().instanceId() != null) {
      // submitted from inside an instance: idle stop sees the instance is in use
      h.createUpdate("UPDATE jobs SET instance_id = ? WHERE id = ?")
          .bind(0, p.workload().instanceId())
          .bind(1, jobId)
          .execute();
    }
    int units = Math.min(req.parallel(), req.repeat());
    ledger.admit(h, p.userId(), type.name(), units, KIND, ref(jobId));
    if (volumeId != null) {
      volumes.claim(h, volumeId, KIND, ref(jobId));
    }
    audit.record(
        h,
        p.email(),
        "job.submit",
        "job/" + jobId,
        req.repeat() + " run(s) of " + type.name() + " with " + image.name());
    return JobStore.inserted(jobId, p.email(), s, req, admitted, now);
  }

  /** Tells the scheduler the queue grew (after a batch committed). */
  void queueChanged() {
    submitted.run();
  }

  public Job get(Principal p, long id) {
    return jdbi.withHandle(
        h -> {
          visible(h, p, id);
          return store.job(h, id, waits::get);
        });
  }

  /**
   * Writes the caller's jobs (active ones unless {@code allStates}), newest first, as a JSON array
   * to {@code out}; every user's for an admin asking with {@code everyone}. Unchanged jobs' JSON is
   * reused ({@link JobListing}).
   */
  public void writeList(
      Principal p,
      boolean allStates,
      String state,
      boolean everyone,
      JsonFactory factory,
      OutputStream out) {
    if (everyone && !p.admin()) {
      throw new Forbidden("only admins can list everyone's jobs");
    }
    if (state != null && !STATES.contains(state)) {
      throw new Invalid("state", "state must be pending, running, succeeded, failed or cancelled");
    }
    Long owner = everyone ? null : p.userId();
    try {
      listing.write(JobFilter.of(owner, state, allStates), factory, out);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public Job cancel(Principal p, long id) {
    List<String> nodes =
        jdbi.inTransaction(
            h -> {
              visible(h, p, id);
              JobStore.JobRow job = store.row(h, id);
              if (!job.state().equals("pending") && !job.state().equals("running")) {
                throw new Conflict("job " + id + " has already " + job.state());
              }
              long now = clock.millis();
              // A run its agent has not started (assigned) ends now as well: the agent may be
              // unable to answer, and if it starts the run after all, its report is refused and
              // the poll tells it to stop.
              List<String> held = new java.util.ArrayList<>(runs.requestCancel(h, id, now));
              for (var r : runs.runsOf(h, id, RunState.PENDING, RunState.ASSIGNED)) {
                runs.tryEnd(h, id, r.run(), RunState.CANCELLED, null, "cancelled by user", now);
              }
              audit.record(h, p.email(), "job.cancel", "job/" + id, null);
              settlement.settle(h, id);
              return held;
            });
    nodes.forEach(n -> signals.signal(AgentWork.key(n)));
    kick.run();
    return get(p, id);
  }

  /**
   * Cancels every active job of the user, as {@code actor} with {@code reason} (an admin disabled
   * the account); returns how many jobs, and how many of their runs were still pending, assigned or
   * running.
   */
  public dev.ocean.common.api.User.Withdrawn cancelAllOf(long userId, String reason, String actor) {
    OwnerCancel.Cancelled c = ownerCancel.cancelAllOf(userId, reason, actor);
    c.nodes().stream().distinct().forEach(n -> signals.signal(AgentWork.key(n)));
    kick.run();
    return new dev.ocean.common.api.User.Withdrawn(c.jobs(), c.runs(), 0);
  }

  /**
   * Commits the placements of the scheduler's plan whose runs are still pending, in one batch of
   * statements whatever their number, then settles each job they touched once (not once per run);
   * returns the node of each run that got assigned.
   */
  List<String> assign(Handle h, List<Placement> placements, long now) {
    List<RunLifecycle.Placing> placings =
        placements.stream()
            .map(
                p ->
                    new RunLifecycle.Placing(
                        p.jobId(), p.runIndex(), p.node(), JobStore.gpus(p.gpuIndices())))
            .toList();
    boolean[] moved = runs.assignAll(h, placings, now);
    List<String> nodes = new java.util.ArrayList<>();
    Set<Long> touched = new java.util.LinkedHashSet<>();
    for (int i = 0; i < moved.length; i++) {
      if (moved[i]) {
        nodes.add(placings.get(i).node());
        touched.add(placings.get(i).jobId());
      }
    }
    touched.forEach(jobId -> settlement.settle(h, jobId));
    return nodes;
  }

  /** Applies an agent's report about one of its runs, whatever attempt is current. */
  public void report(NodeRef node, long jobId, int run, RunReport r) {
    report(node, new RunId(jobId, run, 0), r);
  }

  /**
   * Applies an agent's report about one of its runs; a report about an attempt that is no longer
   * current (the run was requeued) is refused with a conflict and changes nothing.
   */
  public void report(NodeRef node, RunId id, RunReport r) {
    reporting.one(node, id, r);
  }

  /**
   * Applies an agent's reports about many of its runs in order, in one transaction; each refused
   * report gets its own refusal in the outcomes and changes nothing, the others are applied.
   */
  public List<RunReporting.Outcome> report(NodeRef node, List<RunReporting.Item> reports) {
    return reporting.many(node, reports);
  }

  /** Takes back every run the lost node held ({@link RunRecovery}). */
  public void nodeLost(String node) {
    recovery.nodeLost(node, NODE_LOST);
  }

  /** Takes back every run the node held, with {@code reason}, e.g. {@code node removed}. */
  public void nodeLost(String node, String reason) {
    recovery.nodeLost(node, reason);
  }

  /** Fails the runs still held by nodes that are no longer live ({@link RunRecovery}). */
  public void failRunsOfDeadNodes() {
    recovery.failRunsOfDeadNodes();
  }

  /** Ends or requeues the runs an agent with a complete {@code known} list does not have. */
  public void failRunsTheAgentLacks(NodeRef node, Set<String> known) {
    recovery.failRunsTheAgentLacks(node, known);
  }

  /** Quota shrank: cancels pending runs that no longer fit, then lets the scheduler look again. */
  public String reclaim(Handle h, long userId, String machineType, int allowed, String reason) {
    String what = settlement.reclaim(h, userId, machineType, allowed, reason);
    if (what != null) {
      kick.run();
    }
    return what;
  }

  /**
   * Refuses log traffic for runs that were never given to this node (404) or for an attempt that is
   * no longer current (409).
   */
  public void requireOnNode(NodeRef node, RunId id) {
    String on =
        jdbi.withHandle(
            h -> {
              RunIds.requireCurrentAttempt(h, id);
              return runs.nodeOf(h, id.jobId(), id.run());
            });
    if (!node.name().equals(on)) {
      throw new NotFound("run " + id.withoutAttempt() + " is not on this node");
    }
  }

  /**
   * Refuses log chunks for runs not on this node (404), of an earlier attempt or already ended
   * (409): the agent ships a run's whole log before it reports the end, so bytes after it would
   * change a finished log.
   */
  public void requireActiveOnNode(NodeRef node, RunId id) {
    requireOnNode(node, id);
    RunState state = jdbi.withHandle(h -> runs.state(h, id.jobId(), id.run())).orElseThrow();
    if (state.isTerminal()) {
      throw new Conflict(
          "run "
              + id.withoutAttempt()
              + " has already "
              + state.wireName()
              + "; its log is closed");
    }
  }

  /** Only the owner and admins see a job; an instance's hidden job is nobody's job. */
  void visible(Handle h, Principal p, long id) {
    JobStore.JobRow job = store.row(h, id);
    if ((job.userId() != p.userId() && !p.admin()) || !job.kind().equals(KIND)) {
      throw new NotFound("no job " + id);
    }
  }

  static String ref(long jobId) {
    return "job/" + jobId;
  }

  public static String jobKey(long jobId) {
    return "job:" + jobId;
  }

  public static String logKey(long jobId, int run) {
    return LogStore.key(jobId, run);
  }
}
