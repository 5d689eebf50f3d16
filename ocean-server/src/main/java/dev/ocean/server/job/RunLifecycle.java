package dev.ocean.server.job;

import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.NotFound;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Optional;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;
import org.jdbi.v3.core.statement.Update;

/**
 * The only writer of a run's state: each change loads the run, checks the move against {@link
 * RunState}'s table and writes it with an UPDATE guarded by the state it read, so a run that
 * changed in between is left alone. Runs inside the caller's transaction; the caller settles the
 * job afterwards ({@link JobSettlement#settle}).
 */
final class RunLifecycle {

  /** A run's identity and where it is now. */
  record RunRef(long jobId, int run, RunState state) {}

  /** The run's current state, or empty when the job has no such run. */
  Optional<RunState> state(Handle h, long jobId, int run) {
    return h.createQuery("SELECT state FROM runs WHERE job_id = ? AND run_index = ?")
        .bind(0, jobId)
        .bind(1, run)
        .mapTo(String.class)
        .findOne()
        .map(RunState::fromWireName);
  }

  /** The job's runs in the given states, by index. */
  List<RunRef> runsOf(Handle h, long jobId, RunState... states) {
    List<RunRef> out = new ArrayList<>();
    h.createQuery("SELECT run_index, state FROM runs WHERE job_id = ? ORDER BY run_index")
        .bind(0, jobId)
        .map(
            (rs, ctx) ->
                new RunRef(
                    jobId, rs.getInt("run_index"), RunState.fromWireName(rs.getString("state"))))
        .forEach(
            r -> {
              if (List.of(states).contains(r.state())) {
                out.add(r);
              }
            });
    return out;
  }

  /** Asks the agents holding the job's assigned or running runs to stop them; returns nodes. */
  List<String> requestCancel(Handle h, long jobId, long now) {
    h.createUpdate(
            "UPDATE runs SET cancel_requested_at = ? WHERE job_id = ? AND state IN ('assigned',"
                + " 'running') AND cancel_requested_at IS NULL")
        .bind(0, now)
        .bind(1, jobId)
        .execute();
    return h.createQuery(
            "SELECT DISTINCT node FROM runs WHERE job_id = ? AND state IN ('assigned', 'running')")
        .bind(0, jobId)
        .mapTo(String.class)
        .list();
  }

  /**
   * A run on a node that is gone, and whether it goes back to the queue: never started, or its job
   * has a retry left for it.
   */
  record HeldRun(long jobId, int run, int attempt, boolean retriable) {}

  /**
   * The assigned or running runs of {@code node}, if it is no longer ready or draining, except
   * running instances of a node lost (not removed) since {@code graceCutoff} or later.
   */
  List<HeldRun> runsOfGoneNode(Handle h, String node, long graceCutoff) {
    return h.createQuery(
            // A run its agent never started goes back to the queue whatever its retries: nothing
            // of it ran, so there is nothing to retry.
            "SELECT r.job_id, r.run_index, r.attempt, CASE WHEN r.cancel_requested_at IS NULL AND"
                + " (r.state = 'assigned' OR r.attempt <= j.retries) THEN 1 ELSE 0 END AS retriable"
                + " FROM runs r JOIN jobs j"
                + " ON j.id = r.job_id WHERE r.node = ? AND r.state IN ('assigned', 'running')"
                + " AND r.node NOT IN (SELECT name FROM nodes WHERE state IN ('ready',"
                + " 'draining')) AND NOT (r.state = 'running' AND j.kind = 'instance' AND r.node"
                + " IN (SELECT name FROM nodes WHERE state = 'lost' AND last_seen_at >= ?))"
                + " ORDER BY r.job_id, r.run_index")
        .bind(0, node)
        .bind(1, graceCutoff)
        .map(
            (rs, ctx) ->
                new HeldRun(
                    rs.getLong("job_id"),
                    rs.getInt("run_index"),
                    rs.getInt("attempt"),
                    rs.getInt("retriable") == 1))
        .list();
  }

  /** Nodes that are not live but still hold assigned or running runs. */
  List<String> deadNodesHoldingRuns(Handle h) {
    return h.createQuery(
            // each active run looks up its own node: the cost follows the runs, not the cluster
            "SELECT DISTINCT r.node FROM runs r WHERE r.state IN ('assigned', 'running') AND r.node IS NOT NULL AND NOT"
                + " EXISTS (SELECT 1 FROM nodes n WHERE n.name = r.node AND n.state IN ('ready',"
                + " 'draining'))")
        .mapTo(String.class)
        .list();
  }

  /** The node a run was given to, or null. */
  String nodeOf(Handle h, long jobId, int run) {
    return h.createQuery("SELECT node FROM runs WHERE job_id = ? AND run_index = ?")
        .bind(0, jobId)
        .bind(1, run)
        .mapTo(String.class)
        .findOne()
        .orElse(null);
  }

  /** A pending run to move to a node's GPUs ({@link #assignAll}). */
  record Placing(long jobId, int run, String node, String gpus) {}

  /**
   * PENDING → ASSIGNED for every run in one batch of guarded UPDATEs (a scheduling pass places
   * thousands); says per run whether it moved, false for one that is no longer in a state the table
   * lets move to ASSIGNED (cancelled meanwhile).
   */
  boolean[] assignAll(Handle h, List<Placing> placings, long now) {
    boolean[] moved = new boolean[placings.size()];
    if (placings.isEmpty()) {
      return moved;
    }
    String from =
        Arrays.stream(RunState.values())
            .filter(s -> s.canTransitionTo(RunState.ASSIGNED))
            .map(s -> "'" + s.wireName() + "'")
            .collect(Collectors.joining(", "));
    PreparedBatch batch =
        h.prepareBatch(
            "UPDATE runs SET node = ?, gpus = ?, assigned_at = ?, state = ? WHERE job_id = ? AND"
                + " run_index = ? AND state IN ("
                + from
                + ")");
    for (Placing p : placings) {
      batch
          .bind(0, p.node())
          .bind(1, p.gpus())
          .bind(2, now)
          .bind(3, RunState.ASSIGNED.wireName())
          .bind(4, p.jobId())
          .bind(5, p.run())
          .add();
    }
    int[] counts = batch.execute();
    for (int i = 0; i < moved.length; i++) {
      moved[i] = counts[i] == 1;
    }
    return moved;
  }

  /** ASSIGNED → RUNNING, as the agent reports, with where the run sees its volume. */
  boolean start(Handle h, long jobId, int run, String volumeDir, long now) {
    return move(
        h,
        jobId,
        run,
        RunState.RUNNING,
        "started_at = ?, volume_dir = ?",
        u -> u.bind(0, now).bind(1, volumeDir));
  }

  /**
   * Ends the run (SUCCEEDED, FAILED or CANCELLED) with its exit code and reason; a null reason
   * keeps the one it had. Throws a conflict when the run may not end that way from where it is.
   */
  boolean end(Handle h, long jobId, int run, RunState to, Integer exit, String reason, long now) {
    return move(h, jobId, run, to, endColumns(), u -> bindEnd(u, exit, reason, now));
  }

  /**
   * Moves a run the caller just read in state {@code from} (an agent's report): RUNNING with its
   * volume dir, or an end with its exit code and reason. Throws a conflict when the table does not
   * allow the move; the UPDATE is guarded by {@code from}, so false when the run changed since.
   */
  boolean reported(
      Handle h, long jobId, int run, RunState from, RunState to, RunReportValues v, long now) {
    if (!from.canTransitionTo(to)) {
      throw new Conflict(
          "run " + jobId + "-" + run + " is " + from.wireName() + ", not " + to.wireName());
    }
    if (to == RunState.RUNNING) {
      return write(
          h,
          jobId,
          run,
          from,
          to,
          "started_at = ?, volume_dir = ?",
          u -> u.bind(0, now).bind(1, v.volumeDir()));
    }
    // the log's size rides the end's write: the agent shipped the whole log before the end
    return write(
        h,
        jobId,
        run,
        from,
        to,
        endColumns() + ", log_bytes = ?",
        u -> bindEnd(u, v.exit(), v.reason(), now).bind(4, v.logBytes()));
  }

  /**
   * ASSIGNED → RUNNING → an end in one write, for a short run whose agent reported both at once:
   * each step is checked against the table, and the row ends as the two moves would leave it
   * (started and finished now). False when the run is no longer assigned.
   */
  boolean startedAndEnded(
      Handle h,
      long jobId,
      int run,
      String volumeDir,
      RunState to,
      Integer exit,
      String reason,
      long logBytes,
      long now) {
    if (!RunState.ASSIGNED.canTransitionTo(RunState.RUNNING)
        || !RunState.RUNNING.canTransitionTo(to)) {
      throw new Conflict("run " + jobId + "-" + run + " cannot start and end " + to.wireName());
    }
    return write(
        h,
        jobId,
        run,
        RunState.ASSIGNED,
        to,
        "started_at = ?, volume_dir = ?, exit_code = ?, reason = COALESCE(?, reason),"
            + " finished_at = ?, log_bytes = ?",
        u ->
            u.bind(0, now)
                .bind(1, volumeDir)
                .bind(2, exit)
                .bind(3, reason)
                .bind(4, now)
                .bind(5, logBytes));
  }

  /**
   * What an agent's report sets besides the state; {@code logBytes}, the size of the run's log as
   * stored, is written with an end only.
   */
  record RunReportValues(String volumeDir, Integer exit, String reason, long logBytes) {}

  /** Like {@link #end}, but a run that may no longer end that way is left as it is. */
  boolean tryEnd(
      Handle h, long jobId, int run, RunState to, Integer exit, String reason, long now) {
    return tryMove(h, jobId, run, to, endColumns(), u -> bindEnd(u, exit, reason, now));
  }

  /** ASSIGNED or RUNNING → PENDING for another attempt, off its node; false when not possible. */
  boolean requeue(Handle h, long jobId, int run, String reason) {
    return tryMove(
        h,
        jobId,
        run,
        RunState.PENDING,
        "node = NULL, gpus = NULL, assigned_at = NULL, started_at = NULL, attempt = attempt + 1,"
            + " reason = ?",
        u -> u.bind(0, reason));
  }

  private static String endColumns() {
    // A run that never left the queue, or that its agent never started, never started; SET reads
    // the row as it was.
    return "exit_code = ?, reason = COALESCE(?, reason), finished_at = ?, started_at = CASE WHEN"
        + " state IN ('pending', 'assigned') THEN started_at ELSE COALESCE(started_at, ?) END";
  }

  private static Update bindEnd(Update u, Integer exit, String reason, long now) {
    return u.bind(0, exit).bind(1, reason).bind(2, now).bind(3, now);
  }

  /** Binds the SET columns' values from index 0; the state and the key come after them. */
  private interface Binder {
    void bind(Update u);
  }

  private boolean move(Handle h, long jobId, int run, RunState to, String set, Binder b) {
    RunState from =
        state(h, jobId, run).orElseThrow(() -> new NotFound("no run " + jobId + "-" + run));
    if (!from.canTransitionTo(to)) {
      throw new Conflict(
          "run " + jobId + "-" + run + " is " + from.wireName() + ", not " + to.wireName());
    }
    return write(h, jobId, run, from, to, set, b);
  }

  private boolean tryMove(Handle h, long jobId, int run, RunState to, String set, Binder b) {
    Optional<RunState> from = state(h, jobId, run);
    if (from.isEmpty() || !from.get().canTransitionTo(to)) {
      return false;
    }
    return write(h, jobId, run, from.get(), to, set, b);
  }

  private static boolean write(
      Handle h, long jobId, int run, RunState from, RunState to, String set, Binder b) {
    int params = (int) set.chars().filter(c -> c == '?').count();
    Update u =
        h.createUpdate(
            "UPDATE runs SET "
                + set
                + ", state = ? WHERE job_id = ? AND run_index = ? AND state = ?");
    b.bind(u);
    u.bind(params, to.wireName())
        .bind(params + 1, jobId)
        .bind(params + 2, run)
        .bind(params + 3, from.wireName());
    return u.execute() == 1;
  }
}
