package dev.ocean.server.job;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.server.node.NodeChanges;
import dev.ocean.server.scheduler.ClusterSnapshot;
import dev.ocean.server.scheduler.NodeSnapshot;
import dev.ocean.server.scheduler.NodeStatus;
import dev.ocean.server.scheduler.ParallelLimit;
import dev.ocean.server.scheduler.QueuedRun;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.stream.Collectors;
import org.jdbi.v3.core.Handle;

/**
 * What a scheduling pass reads: the cluster (nodes with what is free on them) and the queue of
 * pending runs by job, each in a few queries over the scheduler's connection.
 */
final class SchedulerReads {
  private final NodeTraits.Cache nodeTraits;

  SchedulerReads(ObjectMapper mapper) {
    this.nodeTraits = new NodeTraits.Cache(mapper);
  }

  /** The nodes; a ready one whose agent has not answered since start counts as lost. */
  ClusterSnapshot cluster(Handle h, Predicate<String> heardSinceStart) {
    Map<String, int[]> usedCpuMem = new HashMap<>();
    Map<String, List<Integer>> usedGpus = new HashMap<>();
    h.createQuery(
            "SELECT r.node, r.gpus, j.cpus, j.memory_gib FROM runs r JOIN jobs j ON j.id ="
                + " r.job_id WHERE r.state IN ('assigned', 'running')")
        .map(
            (rs, ctx) -> {
              String node = rs.getString("node");
              int[] u = usedCpuMem.computeIfAbsent(node, k -> new int[2]);
              u[0] += rs.getInt("cpus");
              u[1] += rs.getInt("memory_gib") * 1024;
              usedGpus
                  .computeIfAbsent(node, k -> new ArrayList<>())
                  .addAll(JobStore.gpus(rs.getString("gpus")));
              return node;
            })
        .list();
    List<NodeSnapshot> nodes = new ArrayList<>();
    List<NodeRow> rows = nodeRows(h);
    boolean same = lastCluster != null && lastBuilt.size() == rows.size();
    for (NodeRow n : rows) {
      Built before = lastBuilt.get(n.name());
      // a node heard since start stays heard: a node READY last pass needs no look this time
      boolean heard =
          before != null && before.status() == NodeStatus.READY || heardSinceStart.test(n.name());
      NodeStatus status =
          switch (n.state()) {
            case "ready" -> heard ? NodeStatus.READY : NodeStatus.LOST;
            case "draining" -> NodeStatus.DRAINING;
            default -> NodeStatus.LOST;
          };
      int[] used = usedCpuMem.getOrDefault(n.name(), NOTHING_USED);
      List<Integer> gpusUsed = usedGpus.getOrDefault(n.name(), List.of());
      if (before != null && before.matches(n, status, used, gpusUsed)) {
        nodes.add(before.snapshot());
      } else {
        same = false;
        NodeSnapshot node = snapshot(n, status, used, gpusUsed);
        lastBuilt.put(n.name(), new Built(n, status, used[0], used[1], gpusUsed, node));
        nodes.add(node);
      }
    }
    if (same) {
      return lastCluster; // not one node changed: last pass's snapshot, checked and copied once
    }
    if (lastBuilt.size() > rows.size()) { // nodes gone since
      lastBuilt.keySet().retainAll(rows.stream().map(NodeRow::name).collect(Collectors.toSet()));
    }
    lastCluster = new ClusterSnapshot(nodes);
    return lastCluster;
  }

  private static final int[] NOTHING_USED = new int[2];

  private static NodeSnapshot snapshot(
      NodeRow n, NodeStatus status, int[] used, List<Integer> gpusUsed) {
    NodeTraits traits = n.traits();
    // Broken GPUs are never handed out, and do not count towards what the node holds.
    TreeSet<Integer> free = new TreeSet<>(traits.usableGpus());
    int total = free.size();
    free.removeAll(gpusUsed);
    return new NodeSnapshot(
        n.name(),
        status,
        Math.max(0, n.cpus() - used[0]),
        Math.max(0, n.memMib() - used[1]),
        n.gpuModel(),
        free,
        total,
        n.cpus(),
        n.memMib(),
        traits.blocked(),
        traits.gpuBlocked(),
        traits.runtimeKind(),
        traits.volumeStorage());
  }

  /**
   * A node's snapshot and what it was built from. The last pass's are kept: a node whose row, state
   * and use did not change (most of a big cluster, from one pass to the next) keeps its snapshot,
   * which is immutable, instead of being built again.
   */
  private record Built(
      NodeRow row,
      NodeStatus status,
      int cpusUsed,
      int memUsed,
      List<Integer> gpusUsed,
      NodeSnapshot snapshot) {
    boolean matches(NodeRow n, NodeStatus s, int[] used, List<Integer> gpus) {
      return (row == n || row.equals(n))
          && status == s
          && cpusUsed == used[0]
          && memUsed == used[1]
          && gpusUsed.equals(gpus);
    }
  }

  /** The nodes' snapshots, by name, as last built. */
  private final Map<String, Built> lastBuilt = new HashMap<>();

  /** The last pass's cluster, handed out again while no node changes. */
  private ClusterSnapshot lastCluster;

  /** What a pass needs of one node that only a node change ({@link NodeChanges}) changes. */
  private record NodeRow(
      String name, String state, int cpus, long memMib, String gpuModel, NodeTraits traits) {}

  /**
   * The nodes as last read, the {@link NodeChanges} version read before that, and when ({@link
   * System#nanoTime}).
   */
  private record NodeRows(long version, List<NodeRow> rows, long readAt) {}

  /**
   * The nodes are read again at least this often even when the version stands still: a safety net
   * for a change written around {@link NodeChanges} (a restore, a hand edit of the database).
   */
  private static final long REREAD_NANOS = 2_000_000_000L;

  private NodeRows nodeRows;

  /**
   * The nodes, read again only when {@link NodeChanges} moved since the last read (on any server:
   * the version moves in the transaction of each change). The version is read first, so a change
   * committed while the nodes are read makes the next pass read them again.
   */
  private List<NodeRow> nodeRows(Handle h) {
    long version = NodeChanges.version(h);
    if (nodeRows != null
        && nodeRows.version() == version
        && System.nanoTime() - nodeRows.readAt() < REREAD_NANOS) {
      return nodeRows.rows();
    }
    List<NodeRow> rows =
        h.createQuery(
                "SELECT name, state, cpus, memory_bytes, gpu_model, facts_json FROM nodes WHERE"
                    + " state <> 'removed' ORDER BY name")
            .map(
                (rs, ctx) -> {
                  String name = rs.getString("name");
                  return new NodeRow(
                      name,
                      rs.getString("state"),
                      rs.getInt("cpus"),
                      rs.getLong("memory_bytes") / (1024 * 1024),
                      rs.getString("gpu_model"),
                      nodeTraits.of(name, rs.getString("facts_json")));
                })
            .list();
    nodeTraits.retain(rows.stream().map(NodeRow::name).collect(Collectors.toSet()));
    nodeRows = new NodeRows(version, List.copyOf(rows), System.nanoTime());
    return nodeRows.rows();
  }

  /** Most names in one statement of {@link #readyAmong}. */
  private static final int NAMES_PER_READ = 512;

  /**
   * Which of {@code names} are READY now. Read in statements of a few shapes (a list padded to a
   * power of two with its last name), so that the prepared statements kept per connection are not
   * crowded out.
   */
  static Set<String> readyAmong(Handle h, List<String> names) {
    Set<String> ready = new HashSet<>();
    for (int from = 0; from < names.size(); from += NAMES_PER_READ) {
      List<String> part = names.subList(from, Math.min(names.size(), from + NAMES_PER_READ));
      int size = part.size() == 1 ? 1 : Integer.highestOneBit(part.size() - 1) << 1;
      StringBuilder sql =
          new StringBuilder("SELECT name FROM nodes WHERE state = 'ready' AND name IN (");
      for (int i = 0; i < size; i++) {
        sql.append(i == 0 ? "?" : ", ?");
      }
      var query = h.createQuery(sql.append(')').toString());
      for (int i = 0; i < size; i++) {
        query.bind(i, part.get(Math.min(i, part.size() - 1)));
      }
      query.mapTo(String.class).forEach(ready::add);
    }
    return ready;
  }

  /** The pending runs, by job in queue order, with how many of each job's runs are active. */
  static List<ParallelLimit.JobRuns> queue(Handle h) {
    Map<Long, ParallelLimit.JobRuns> byJob = new LinkedHashMap<>();
    Map<Long, Integer> started = new HashMap<>();
    h.createQuery(
            "SELECT job_id, COUNT(*) AS n FROM runs WHERE state IN ('assigned', 'running') GROUP BY job_id")
        .map((rs, ctx) -> Map.entry(rs.getLong("job_id"), rs.getInt("n")))
        .forEach(e -> started.put(e.getKey(), e.getValue()));
    // What a run needs of its job, read once per job with pending runs, not once per run: a job
    // of thousands of runs (--repeat) made the queue read copy its columns thousands of times.
    record Shape(
        int cpus,
        long memoryMib,
        int gpus,
        String gpuModel,
        int parallel,
        String imageKind,
        boolean volume,
        boolean instance) {}
    Map<Long, Shape> shapes = new HashMap<>();
    h.createQuery(
            "SELECT j.id, j.cpus, j.memory_gib, j.gpus, j.gpu_model, j.parallel, j.image_kind,"
                + " j.volume_id, j.kind FROM jobs j WHERE j.id IN (SELECT job_id FROM runs WHERE"
                + " state = 'pending')")
        .map(
            (rs, ctx) ->
                Map.entry(
                    rs.getLong(1),
                    new Shape(
                        rs.getInt(2),
                        rs.getInt(3) * 1024L,
                        rs.getInt(4),
                        rs.getString(5),
                        rs.getInt(6),
                        rs.getString(7),
                        rs.getObject(8) != null,
                        JobService.INSTANCE_KIND.equals(rs.getString(9)))))
        .forEach(e -> shapes.put(e.getKey(), e.getValue()));
    Map<Long, List<QueuedRun>> pending = new LinkedHashMap<>();
    Map<Long, Integer> parallel = new HashMap<>();
    h.createQuery(
            "SELECT job_id, run_index, created_at FROM runs WHERE state = 'pending' ORDER BY"
                + " job_id, run_index")
        .map(
            (rs, ctx) -> {
              long jobId = rs.getLong(1);
              Shape j = shapes.get(jobId);
              if (j == null) {
                return null; // its job was read before this run was queued: the next pass
              }
              parallel.put(jobId, j.parallel());
              // Queue order is when the run was queued: a job's runs at its submission, an
              // instance's at each start (its hidden job is older than the jobs queued since).
              return new QueuedRun(
                  jobId,
                  rs.getInt(2),
                  rs.getLong(3),
                  j.cpus(),
                  j.memoryMib(),
                  j.gpus(),
                  j.gpuModel(),
                  j.imageKind(),
                  j.volume(),
                  j.instance());
            })
        .forEach(
            r -> {
              if (r != null) {
                pending.computeIfAbsent(r.jobId(), k -> new ArrayList<>()).add(r);
              }
            });
    pending.forEach(
        (jobId, runs) ->
            byJob.put(
                jobId,
                new ParallelLimit.JobRuns(
                    jobId, parallel.get(jobId), started.getOrDefault(jobId, 0), runs)));
    return new ArrayList<>(byJob.values());
  }
}
