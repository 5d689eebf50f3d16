package dev.ocean.server.job;

import dev.ocean.common.api.agent.EndReason;
import dev.ocean.common.api.agent.RunId;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.node.NodeRef;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Set;
import org.jdbi.v3.core.Jdbi;

/**
 * Node-loss recovery for runs: the runs of a lost, removed or dead node, and the runs an agent no
 * longer has, are requeued when their job has a retry left, else failed with the reason.
 */
final class RunRecovery {
  /** The reason of a run its agent reports it does not have (its state was lost). */
  static final String AGENT_LACKS_RUN = EndReason.AGENT_LACKS_RUN.text();

  /** How an agent's report is applied (JobService#report), used for runs the agent lacks. */
  interface Reporter {
    void report(NodeRef node, long jobId, int run, RunReport r);
  }

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final RunLifecycle runs;
  private final JobSettlement settlement;
  private final LogStore logs;
  private final Signals signals;
  private final Runnable kick;
  private final Reporter reporter;
  private volatile Duration instanceGrace = DEFAULT_INSTANCE_GRACE;

  /** How long a lost node's running instances wait for their agent before they fail. */
  static final Duration DEFAULT_INSTANCE_GRACE = Duration.ofMinutes(15);

  RunRecovery(
      Jdbi jdbi,
      Clock clock,
      AuditLog audit,
      RunLifecycle runs,
      JobSettlement settlement,
      LogStore logs,
      Signals signals,
      Runnable kick,
      Reporter reporter) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.runs = runs;
    this.settlement = settlement;
    this.logs = logs;
    this.signals = signals;
    this.kick = kick;
    this.reporter = reporter;
  }

  /** Sets how long a lost node's running instances are kept for their agent to come back. */
  void instanceGrace(Duration grace) {
    this.instanceGrace = grace;
  }

  /**
   * Since when the lost check gave every node a fresh timeout (epoch ms), e.g. the server start.
   */
  void graceFrom(java.util.function.LongSupplier from) {
    this.graceFrom = from;
  }

  private java.util.function.LongSupplier graceFrom = () -> 0L;

  /**
   * Takes back every run the node held: requeued when the job has a retry left for it, else failed
   * with {@code reason}, e.g. {@code node lost} or {@code node removed}. A running instance on a
   * lost node is kept for the instance grace (counted from the node's last heartbeat): its
   * container and session usually survive an agent restart or a network blip, and the returning
   * agent re-adopts it. Only a later call after the grace fails it ({@link #failRunsOfDeadNodes}
   * calls again on every lost-node check).
   */
  void nodeLost(String node, String reason) {
    // Checked again here: the node may have heartbeated back (and taken new runs) in between.
    List<RunLifecycle.HeldRun> requeued = new java.util.ArrayList<>();
    List<RunLifecycle.HeldRun> held =
        jdbi.inTransaction(
            h -> {
              requeued.clear();
              long now = clock.millis();
              long cutoff = now - instanceGrace.toMillis();
              // a node lost after the server's own restart counts its grace from that restart
              List<RunLifecycle.HeldRun> taken =
                  runs.runsOfGoneNode(
                      h, node, graceFrom.getAsLong() >= cutoff ? Long.MIN_VALUE : cutoff);
              for (RunLifecycle.HeldRun r : taken) {
                if (r.retriable() && runs.requeue(h, r.jobId(), r.run(), JobService.REQUEUED)) {
                  requeued.add(r);
                  audit.record(
                      h,
                      "system",
                      "job.run-requeued",
                      "job/" + r.jobId(),
                      "run " + r.run() + " attempt " + (r.attempt() + 1));
                } else {
                  runs.tryEnd(h, r.jobId(), r.run(), RunState.FAILED, null, reason, now);
                }
              }
              for (long id : taken.stream().map(RunLifecycle.HeldRun::jobId).distinct().toList()) {
                settlement.settle(h, id);
                audit.record(h, "system", "job.run-failed", "job/" + id, reason + ": " + node);
              }
              return taken;
            });
    for (RunLifecycle.HeldRun r : requeued) {
      // Agents ship a run's log from the server's size, so the next attempt starts a fresh log;
      // the earlier attempt's stays beside it on disk.
      logs.rotate(r.jobId(), r.run(), r.attempt());
    }
    held.stream()
        .map(RunLifecycle.HeldRun::jobId)
        .distinct()
        .forEach(id -> signals.signal(JobService.jobKey(id)));
    if (!held.isEmpty()) {
      kick.run();
    }
  }

  /**
   * Fails the runs still held by nodes that are no longer live (lost, removed or gone): {@link
   * #nodeLost} never ran for them when the server stopped between marking the node and failing its
   * runs, and they would hold their quota and GPUs for ever.
   */
  void failRunsOfDeadNodes() {
    jdbi.withHandle(runs::deadNodesHoldingRuns).forEach(n -> nodeLost(n, JobService.NODE_LOST));
  }

  /**
   * Reconciliation when an agent says its {@code known} list is complete (it re-adopted all it
   * could): a run the server thinks is running there but the agent does not have ends failed,
   * without an exit code, instead of running for ever.
   */
  void failRunsTheAgentLacks(NodeRef node, Set<String> known) {
    List<long[]> orphans =
        jdbi.withHandle(
            h ->
                h.createQuery(
                        "SELECT job_id, run_index, attempt FROM runs WHERE node = ? AND state ="
                            + " 'running'")
                    .bind(0, node.name())
                    .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getInt(2), rs.getInt(3)})
                    .list());
    for (long[] r : orphans) {
      RunId id = new RunId(r[0], (int) r[1], (int) r[2]);
      if (known.contains(id.toString()) || known.contains(id.withoutAttempt())) {
        continue;
      }
      if (requeueIfRetries(r[0], (int) r[1], node.name())) {
        continue;
      }
      try {
        reporter.report(
            node, r[0], (int) r[1], new RunReport("failed", null, AGENT_LACKS_RUN, null, null));
      } catch (Conflict | NotFound raced) {
        // it ended in between: nothing to reconcile
      }
    }
  }

  /** Puts a run its agent lost back in the queue when its job asked for retries; true if so. */
  private boolean requeueIfRetries(long jobId, int run, String node) {
    int attempt =
        jdbi.inTransaction(
            h -> {
              Integer current =
                  h.createQuery(
                          "SELECT r.attempt FROM runs r JOIN jobs j ON j.id = r.job_id WHERE"
                              + " r.job_id = ? AND r.run_index = ? AND r.node = ? AND r.state ="
                              + " 'running' AND r.attempt <= j.retries")
                      .bind(0, jobId)
                      .bind(1, run)
                      .bind(2, node)
                      .mapTo(Integer.class)
                      .findOne()
                      .orElse(null);
              if (current == null || !runs.requeue(h, jobId, run, "requeued: " + AGENT_LACKS_RUN)) {
                return 0;
              }
              settlement.settle(h, jobId);
              audit.record(
                  h,
                  "system",
                  "job.run-requeued",
                  "job/" + jobId,
                  "run " + run + " attempt " + (current + 1));
              return current + 1;
            });
    if (attempt == 0) {
      return false;
    }
    logs.rotate(jobId, run, attempt - 1);
    signals.signal(JobService.jobKey(jobId));
    kick.run();
    return true;
  }
}
