package dev.ocean.server.job;

import dev.ocean.common.api.agent.RunId;
import dev.ocean.common.api.agent.TunnelOpen;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Work;
import dev.ocean.server.error.Unavailable;
import dev.ocean.server.node.NodeRef;
import dev.ocean.server.store.GroupCommit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The agent's long poll: runs assigned to its node and runs to stop. It answers at once when there
 * is something the agent has not seen, else waits for a signal or the timeout. Answers repeat until
 * the agent reports (tunnels: until it connects them), so a lost answer loses nothing.
 */
public final class AgentWork {
  /**
   * Polls reading the database at once: a few, so that thousands of agents polling together neither
   * take every pooled connection nor wait for one past its timeout; a poll that cannot read within
   * {@link #READ_WAIT_MILLIS} is answered 503 with a {@code Retry-After}.
   */
  static final int READERS = 4;

  static final long READ_WAIT_MILLIS = 5_000;

  private final Jdbi jdbi;
  private final GroupCommit writes;
  private final Semaphore readers = new Semaphore(READERS, true);
  private final JobStore store;
  private final Signals signals;
  private volatile RunEnv runEnv = RunEnv.NONE;

  /** Stop requests already delivered, per node, so they do not wake the poll again. */
  private final Map<String, Set<String>> stopsSent = new ConcurrentHashMap<>();

  private volatile InstanceRuns instances = InstanceRuns.NONE;

  /**
   * The tunnels a node's agent is to open that a poll should carry now, and in how many
   * milliseconds another one is due again (a tunnel is offered until its agent connects: the poll
   * that carried it may be one the agent gave up).
   */
  public record TunnelOffers(List<TunnelOpen> now, long againInMillis) {
    public static final TunnelOffers NONE = new TunnelOffers(List.of(), Long.MAX_VALUE);
  }

  /** Tunnels for a node's agent to open (none until set). */
  private volatile Function<String, TunnelOffers> tunnels = node -> TunnelOffers.NONE;

  public AgentWork(Jdbi jdbi, GroupCommit writes, JobStore store, Signals signals) {
    this.jdbi = jdbi;
    this.writes = writes;
    this.store = store;
    this.signals = signals;
  }

  /** Where an instance run's {@link Assignment#instance} comes from. */
  public AgentWork instances(InstanceRuns instances) {
    this.instances = instances;
    return this;
  }

  /** Adds {@code env}'s variables to every run handed out from now on (workload tokens). */
  public AgentWork withRunEnv(RunEnv env) {
    this.runEnv = env;
    return this;
  }

  public static String key(String node) {
    return "node:" + node;
  }

  /** Where the poll takes the tunnels a node's agent is to open; a wake-up of the node's key. */
  public void handTunnelsFrom(Function<String, TunnelOffers> source) {
    this.tunnels = source;
  }

  public Work poll(NodeRef node, Set<String> known, long waitMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + waitMillis;
    Set<String> sent = stopsSent.computeIfAbsent(node.name(), n -> ConcurrentHashMap.newKeySet());
    while (true) {
      long seen = signals.version(key(node.name()));
      Work w = readCurrent(node.name(), known);
      boolean newStart = !w.start().isEmpty();
      boolean newStop = w.stop().stream().anyMatch(id -> !sent.contains(id));
      sent.retainAll(w.stop());
      long left = deadline - System.currentTimeMillis();
      TunnelOffers open = tunnels.apply(node.name());
      if (newStart || newStop || !open.now().isEmpty() || left <= 0) {
        sent.addAll(w.stop());
        return new Work(w.start(), w.stop(), open.now());
      }
      signals.await(key(node.name()), seen, Math.min(left, open.againInMillis()));
    }
  }

  private Work readCurrent(String node, Set<String> known) throws InterruptedException {
    if (!readers.tryAcquire(READ_WAIT_MILLIS, TimeUnit.MILLISECONDS)) {
      throw new Unavailable("the server is busy; poll again in a few seconds", 2);
    }
    Work w;
    try {
      w = current(node, known);
    } finally {
      readers.release();
    }
    if (!w.start().isEmpty()) {
      // Outside the read slot: waiting for the write lock must not keep other polls from reading.
      // Through the group commit, the tokens of many polls' runs share one transaction.
      writes.write(
          h -> {
            for (Assignment a : w.start()) {
              a.env().putAll(runEnv.forRun(h, RunId.tryParse(a.runId()).orElseThrow()));
            }
            return null;
          });
    }
    return w;
  }

  /** A run the node holds now (assigned or running), as the poll reads it once per answer. */
  private record Held(RunId id, boolean assigned, boolean cancelling) {}

  /**
   * What the node should start and stop now. One query reads every run the node holds, which
   * answers both what to stop and which of the runs the agent names are still wanted; the runs to
   * start are read (with their jobs) only when some are new to the agent, and their workload tokens
   * are minted afterwards, outside the read slot, in one group-committed write.
   */
  private Work current(String node, Set<String> known) {
    List<Assignment> start = new ArrayList<>();
    List<String> stop = new ArrayList<>();
    jdbi.useHandle(
        h -> {
          List<Held> held =
              h.createQuery(
                      "SELECT job_id, run_index, attempt, state, cancel_requested_at FROM runs"
                          + " WHERE node = ? AND state IN ('assigned', 'running')")
                  .bind(0, node)
                  .map(
                      (rs, ctx) ->
                          new Held(
                              new RunId(
                                  rs.getLong("job_id"),
                                  rs.getInt("run_index"),
                                  rs.getInt("attempt")),
                              rs.getString("state").equals("assigned"),
                              rs.getObject("cancel_requested_at") != null))
                  .list();
          Set<String> wanted = new HashSet<>();
          boolean anyNew = false;
          for (Held r : held) {
            wanted.add(r.id().toString());
            wanted.add(r.id().withoutAttempt()); // an older agent names runs without the attempt
            if (r.cancelling()) {
              // Stop it by the name the agent has it under (older agents: no attempt).
              String legacy = r.id().withoutAttempt();
              stop.add(known.contains(legacy) ? legacy : r.id().toString());
            } else if (r.assigned() && !isKnown(known, r.id())) {
              anyNew = true;
            }
          }
          // Reconciliation: a run the agent has that the server no longer wants on this node
          // (cancelled before it started, failed or requeued while the node was lost, moved
          // elsewhere, an earlier attempt, unknown) is stopped, or it would keep GPUs the scheduler
          // hands out again.
          for (String name : known) {
            Optional<RunId> run = RunId.tryParse(name);
            if (run.isPresent() && !stop.contains(name) && !wanted.contains(run.get().toString())) {
              stop.add(name);
            }
          }
          if (anyNew) {
            start.addAll(assignments(h, node, known));
          }
        });
    return new Work(start, stop, null);
  }

  private static boolean isKnown(Set<String> known, RunId id) {
    // An older agent names what it has without the attempt.
    return known.contains(id.toString())
        || known.contains(new RunId(id.jobId(), id.run(), 0).toString());
  }

  /** The node's assigned runs the agent does not have yet, with what it needs to start them. */
  private List<Assignment> assignments(Handle h, String node, Set<String> known) {
    List<Assignment> start = new ArrayList<>();
    h.createQuery(
            "SELECT r.job_id, r.run_index, r.gpus, r.attempt, j.image_ref, j.command_json,"
                + " j.env_json, j.volume_path, j.cpus, j.memory_gib, j.kind FROM runs r JOIN jobs j"
                + " ON j.id = r.job_id WHERE r.node = ? AND r.state = 'assigned' AND"
                + " r.cancel_requested_at IS NULL ORDER BY r.job_id, r.run_index")
        .bind(0, node)
        .map(
            (rs, ctx) -> {
              long jobId = rs.getLong("job_id");
              int idx = rs.getInt("run_index");
              RunId id = new RunId(jobId, idx, rs.getInt("attempt"));
              if (isKnown(known, id)) {
                return null;
              }
              Map<String, String> env = new HashMap<>(store.env(rs.getString("env_json")));
              env.put("OCEAN_JOB_ID", Long.toString(jobId));
              env.put("OCEAN_RUN_INDEX", Integer.toString(idx));
              // An instance runs Ocean's init, not a command; its spec says what to set up.
              var instance =
                  JobService.INSTANCE_KIND.equals(rs.getString("kind"))
                      ? instances.spec(h, jobId)
                      : null;
              return new Assignment(
                  id.toString(),
                  jobId,
                  idx,
                  rs.getString("image_ref"),
                  instance != null ? List.of() : store.argv(rs.getString("command_json")),
                  env,
                  rs.getString("volume_path"),
                  rs.getInt("cpus"),
                  rs.getInt("memory_gib") * 1024L,
                  JobStore.gpus(rs.getString("gpus")),
                  rs.getInt("attempt"),
                  instance);
            })
        .forEach(
            a -> {
              if (a != null) {
                start.add(a);
              }
            });
    return start;
  }
}
