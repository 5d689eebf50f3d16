package dev.ocean.server.job;

import dev.ocean.common.api.agent.RunId;
import dev.ocean.common.api.agent.TunnelOpen;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Work;
import dev.ocean.server.node.NodeRef;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Function;
import org.jdbi.v3.core.Jdbi;

/**
 * The agent's long poll: runs assigned to its node and runs to stop. It answers at once when there
 * is something the agent has not seen, else waits for a signal or the timeout. Answers repeat until
 * the agent reports, so a lost answer loses nothing.
 */
public final class AgentWork {
  private final Jdbi jdbi;
  private final JobStore store;
  private final Signals signals;
  private volatile RunEnv runEnv = RunEnv.NONE;

  /** Stop requests already delivered, per node, so they do not wake the poll again. */
  private final Map<String, Set<String>> stopsSent = new ConcurrentHashMap<>();

  private volatile InstanceRuns instances = InstanceRuns.NONE;

  /** Tunnels for a node's agent to open, each handed out once (none until set). */
  private volatile Function<String, List<TunnelOpen>> tunnels = node -> List.of();

  public AgentWork(Jdbi jdbi, JobStore store, Signals signals) {
    this.jdbi = jdbi;
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
  public void handTunnelsFrom(Function<String, List<TunnelOpen>> source) {
    this.tunnels = source;
  }

  public Work poll(NodeRef node, Set<String> known, long waitMillis) throws InterruptedException {
    long deadline = System.currentTimeMillis() + waitMillis;
    Set<String> sent = stopsSent.computeIfAbsent(node.name(), n -> ConcurrentHashMap.newKeySet());
    while (true) {
      long seen = signals.version(key(node.name()));
      Work w = current(node.name(), known);
      boolean newStart = !w.start().isEmpty();
      boolean newStop = w.stop().stream().anyMatch(id -> !sent.contains(id));
      sent.retainAll(w.stop());
      long left = deadline - System.currentTimeMillis();
      List<TunnelOpen> open = tunnels.apply(node.name());
      if (newStart || newStop || !open.isEmpty() || left <= 0) {
        sent.addAll(w.stop());
        return new Work(w.start(), w.stop(), open);
      }
      signals.await(key(node.name()), seen, left);
    }
  }

  private Work current(String node, Set<String> known) {
    return jdbi.withHandle(
        h -> {
          List<Assignment> start = new ArrayList<>();
          h.createQuery(
                  "SELECT r.job_id, r.run_index, r.gpus, r.attempt, j.image_ref, j.command_json, j.env_json,"
                      + " j.volume_path, j.cpus, j.memory_gib, j.kind FROM runs r JOIN jobs j ON j.id ="
                      + " r.job_id WHERE r.node = ? AND r.state = 'assigned' AND"
                      + " r.cancel_requested_at IS NULL ORDER BY r.job_id, r.run_index")
              .bind(0, node)
              .map(
                  (rs, ctx) -> {
                    long jobId = rs.getLong("job_id");
                    int idx = rs.getInt("run_index");
                    Map<String, String> env = new HashMap<>(store.env(rs.getString("env_json")));
                    env.put("OCEAN_JOB_ID", Long.toString(jobId));
                    env.put("OCEAN_RUN_INDEX", Integer.toString(idx));
                    // An instance runs Ocean's init, not a command; its spec says what to set up.
                    var instance =
                        JobService.INSTANCE_KIND.equals(rs.getString("kind"))
                            ? instances.spec(h, jobId)
                            : null;
                    return new Assignment(
                        new RunId(jobId, idx, rs.getInt("attempt")).toString(),
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
                    // An older agent names what it has without the attempt.
                    if (!known.contains(a.runId())
                        && !known.contains(new RunId(a.jobId(), a.runIndex(), 0).toString())) {
                      a.env().putAll(runEnv.forRun(h, RunId.tryParse(a.runId()).orElseThrow()));
                      start.add(a);
                    }
                  });
          List<String> stop = new ArrayList<>();
          h.createQuery(
                  "SELECT job_id, run_index, attempt FROM runs WHERE node = ? AND state IN"
                      + " ('assigned', 'running') AND cancel_requested_at IS NOT NULL")
              .bind(0, node)
              .map(
                  (rs, ctx) ->
                      new RunId(rs.getLong("job_id"), rs.getInt("run_index"), rs.getInt("attempt")))
              .forEach(
                  id -> {
                    // Stop it by the name the agent has it under (older agents: no attempt).
                    String legacy = id.withoutAttempt();
                    stop.add(known.contains(legacy) ? legacy : id.toString());
                  });
          // Reconciliation: a run the agent has that the server no longer wants on this node
          // (cancelled before it started, failed or requeued while the node was lost, moved
          // elsewhere, an earlier attempt, unknown) is stopped, or it would keep GPUs the scheduler
          // hands out again.
          for (String name : known) {
            Optional<RunId> run = RunId.tryParse(name);
            if (run.isEmpty() || stop.contains(name)) {
              continue;
            }
            boolean wanted =
                h.createQuery(
                            "SELECT COUNT(*) FROM runs WHERE job_id = ? AND run_index = ? AND"
                                + " node = ? AND state IN ('assigned', 'running') AND (? = 0 OR"
                                + " attempt = ?)")
                        .bind(0, run.get().jobId())
                        .bind(1, run.get().run())
                        .bind(2, node)
                        .bind(3, run.get().attempt())
                        .bind(4, run.get().attempt())
                        .mapTo(Integer.class)
                        .one()
                    > 0;
            if (!wanted) {
              stop.add(name);
            }
          }
          return new Work(start, stop, null);
        });
  }
}
