package dev.ocean.server.job;

import dev.ocean.common.api.agent.RunId;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.DomainException;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.error.Unavailable;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.node.NodeRef;
import dev.ocean.server.store.GroupCommit;
import java.time.Clock;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.jdbi.v3.core.Handle;

/**
 * Applies agents' reports about their runs, one or many per request: each report moves its run
 * through {@link RunLifecycle} (the transition table), all of a request's reports share one group
 * commit, and each job they touch is settled once. A report that repeats the run's state changes
 * nothing, so a retried request after a lost answer counts nothing twice.
 */
final class RunReporting {
  /**
   * What became of one report of a batch: null error when it was taken; {@code logSize} the
   * server's size of the run's log when the report carried log bytes and was taken, else null.
   */
  record Outcome(RunId id, DomainException error, Long logSize) {}

  /**
   * One report of a batch, its run already parsed (or the parse's refusal), with the log bytes it
   * carries from {@code logOffset} (null: none).
   */
  record Item(RunId id, RunReport report, Long logOffset, byte[] log, DomainException refused) {}

  /**
   * Pieces of work waiting for the group commit above which reports are refused with 503 and a
   * {@code Retry-After}: agents retry them later, and heartbeats do not queue behind them.
   */
  static final int BUSY_BACKLOG = 1024;

  private final GroupCommit writes;
  private final Clock clock;
  private final RunLifecycle runs;
  private final JobSettlement settlement;
  private final Signals signals;
  private final LogStore logs;
  private final Supplier<InstanceRuns> instances;
  private final Runnable kick;

  RunReporting(
      GroupCommit writes,
      Clock clock,
      RunLifecycle runs,
      JobSettlement settlement,
      Signals signals,
      LogStore logs,
      Supplier<InstanceRuns> instances,
      Runnable kick) {
    this.writes = writes;
    this.clock = clock;
    this.runs = runs;
    this.settlement = settlement;
    this.signals = signals;
    this.logs = logs;
    this.instances = instances;
    this.kick = kick;
  }

  /** A run the batch changed, for the wake-ups sent once it committed. */
  private record Changed(long jobId, int run, boolean ended) {}

  /** Applies one report; throws its refusal. */
  void one(NodeRef node, RunId id, RunReport r) {
    RunState next = next(r);
    refuseWhenBusy();
    List<Changed> changed = new ArrayList<>();
    writes.write(
        h -> {
          changed.clear();
          long now = clock.millis();
          if (apply(h, node, id, next, r, null, now)) {
            changed.add(new Changed(id.jobId(), id.run(), next.isTerminal()));
            settlement.settle(h, id.jobId());
          }
          return null;
        });
    wake(changed, List.of(id));
  }

  /**
   * Applies {@code items} in order in one transaction; a refused report leaves the run as it was
   * and the others go on. Returns one outcome per item, in order.
   */
  List<Outcome> many(NodeRef node, List<Item> items) {
    refuseWhenBusy();
    List<Changed> changed = new ArrayList<>();
    List<Outcome> out =
        writes.write(
            h -> {
              changed.clear();
              List<Outcome> outcomes = new ArrayList<>(items.size());
              Set<Long> touched = new LinkedHashSet<>();
              long now = clock.millis();
              for (int i = 0; i < items.size(); i++) {
                Item item = items.get(i);
                if (i + 1 < items.size()) {
                  Outcome[] both = startAndEnd(h, node, item, items.get(i + 1), now);
                  if (both != null) {
                    outcomes.addAll(List.of(both));
                    changed.add(new Changed(item.id().jobId(), item.id().run(), true));
                    touched.add(item.id().jobId());
                    i++;
                    continue;
                  }
                }
                if (item.refused() != null) {
                  outcomes.add(new Outcome(item.id(), item.refused(), null));
                  continue;
                }
                try {
                  RunState next = next(item.report());
                  ReportedLog log = ReportedLog.of(item.logOffset(), item.log());
                  if (applyAlone(h, node, item.id(), next, item.report(), log, now)) {
                    changed.add(new Changed(item.id().jobId(), item.id().run(), next.isTerminal()));
                    touched.add(item.id().jobId());
                  }
                  outcomes.add(new Outcome(item.id(), null, log == null ? null : log.size));
                } catch (DomainException e) {
                  outcomes.add(new Outcome(item.id(), e, null));
                }
              }
              touched.forEach(jobId -> settlement.settle(h, jobId));
              return outcomes;
            });
    wake(changed, List.of());
    return out;
  }

  private void refuseWhenBusy() {
    if (writes.backlogAbove(BUSY_BACKLOG)) {
      throw new Unavailable("the server is busy; report again in a second", 1);
    }
  }

  private static RunState next(RunReport r) {
    RunState next;
    try {
      next = RunState.fromWireName(Check.required("state", r.state()));
    } catch (IllegalArgumentException e) {
      throw new Invalid("state", "unknown run state '" + r.state() + "'");
    }
    if (next == RunState.PENDING || next == RunState.ASSIGNED) {
      throw new Invalid("state", "agents report running or an end state");
    }
    return next;
  }

  /**
   * Like {@link #apply}; an instance's {@code running} (which writes its endpoints after the run)
   * runs in a savepoint, so a refusal half way leaves nothing of it.
   */
  private boolean applyAlone(
      Handle h, NodeRef node, RunId id, RunState next, RunReport r, ReportedLog log, long now) {
    if (r.endpoints() == null) {
      return apply(h, node, id, next, r, log, now); // every refusal comes before its one write
    }
    h.savepoint("ocean_report");
    try {
      boolean moved = apply(h, node, id, next, r, log, now);
      h.releaseSavepoint("ocean_report");
      return moved;
    } catch (RuntimeException e) {
      h.rollbackToSavepoint("ocean_report");
      throw e;
    }
  }

  /**
   * Moves the run, after storing the log bytes that came with the report; false when it already was
   * in that state (the bytes were then stored with that earlier report). Refusals come before any
   * write.
   */
  private boolean apply(
      Handle h, NodeRef node, RunId id, RunState next, RunReport r, ReportedLog log, long now) {
    long jobId = id.jobId();
    int run = id.run();
    Row row = row(h, node, id);
    boolean repeat = row.state() == next;
    if (log != null && row.state().isActive() && (repeat || row.state().canTransitionTo(next))) {
      // Offsets make this idempotent: a batch run again (group commit) or retried by the agent
      // skips what is stored, so no byte is written twice.
      log.size = logs.append(jobId, run, log.offset, log.bytes);
    } else if (log != null && repeat) {
      log.size = logs.size(jobId, run); // stored with the report the agent sends again
    }
    if (repeat) {
      return false;
    }
    var endpoints =
        next == RunState.RUNNING && r.endpoints() != null
            ? InstanceJobs.checked(r.endpoints())
            : null;
    String volumeDir =
        next == RunState.RUNNING ? Check.maxLength("volumeDir", r.volumeDir(), 4096) : null;
    long logBytes =
        !next.isTerminal() || !row.state().canTransitionTo(next)
            ? 0
            : log != null && log.size != null ? log.size : logs.size(jobId, run);
    runs.reported(
        h,
        jobId,
        run,
        row.state(),
        next,
        new RunLifecycle.RunReportValues(volumeDir, r.exitCode(), r.reason(), logBytes),
        now);
    if (endpoints != null) {
      instances.get().reached(h, jobId, run, endpoints);
    }
    return true;
  }

  private record Row(RunState state, int attempt, String node) {}

  /** The run as it is; refuses a run of another node or an attempt that is over. */
  private static Row row(Handle h, NodeRef node, RunId id) {
    long jobId = id.jobId();
    int run = id.run();
    Row row =
        h.createQuery("SELECT state, attempt, node FROM runs WHERE job_id = ? AND run_index = ?")
            .bind(0, jobId)
            .bind(1, run)
            .map(
                (rs, ctx) ->
                    new Row(
                        RunState.fromWireName(rs.getString("state")),
                        rs.getInt("attempt"),
                        rs.getString("node")))
            .findOne()
            .orElseThrow(() -> new NotFound("no run " + jobId + "-" + run));
    RunIds.requireCurrentAttempt(id, row.attempt());
    if (!node.name().equals(row.node())) {
      throw new NotFound("run " + jobId + "-" + run + " is not on this node");
    }
    return row;
  }

  /**
   * A short run's {@code running} followed by its end, as its agent sends them together: one read
   * and one write ({@link RunLifecycle#startedAndEnded}) instead of two of each, when the run is
   * still assigned. Null when the pair does not fit that (another run, an instance's endpoints, a
   * run already started or ended, anything refused) and nothing was written: the reports are then
   * applied one by one, which gives each its own outcome.
   */
  private Outcome[] startAndEnd(Handle h, NodeRef node, Item start, Item end, long now) {
    if (start.refused() != null
        || end.refused() != null
        || !start.id().equals(end.id())
        || !"running".equals(start.report().state())
        || start.report().endpoints() != null
        || start.log() != null) {
      return null;
    }
    try {
      RunState to = next(end.report());
      if (!to.isTerminal()) {
        return null;
      }
      ReportedLog log = ReportedLog.of(end.logOffset(), end.log());
      String volumeDir = Check.maxLength("volumeDir", start.report().volumeDir(), 4096);
      if (row(h, node, start.id()).state() != RunState.ASSIGNED) {
        return null;
      }
      RunId id = start.id();
      if (log != null) {
        log.size = logs.append(id.jobId(), id.run(), log.offset, log.bytes);
      }
      long logBytes = log != null ? log.size : logs.size(id.jobId(), id.run());
      RunReport e = end.report();
      if (!runs.startedAndEnded(
          h, id.jobId(), id.run(), volumeDir, to, e.exitCode(), e.reason(), logBytes, now)) {
        return null;
      }
      return new Outcome[] {
        new Outcome(id, null, null), new Outcome(id, null, log == null ? null : log.size)
      };
    } catch (DomainException e) {
      return null;
    }
  }

  /** Wakes followers of the changed runs and jobs, and the scheduler when a run ended. */
  private void wake(List<Changed> changed, List<RunId> alsoSignal) {
    boolean ended = false;
    Set<Long> jobs = new LinkedHashSet<>();
    for (RunId id : alsoSignal) {
      signals.signal(JobService.logKey(id.jobId(), id.run()));
      jobs.add(id.jobId());
    }
    for (Changed c : changed) {
      signals.signal(JobService.logKey(c.jobId(), c.run()));
      jobs.add(c.jobId());
      if (c.ended()) {
        signals.forget(JobService.logKey(c.jobId(), c.run()));
        ended = true;
      }
    }
    jobs.forEach(j -> signals.signal(JobService.jobKey(j)));
    if (ended) {
      kick.run();
    }
  }
}
