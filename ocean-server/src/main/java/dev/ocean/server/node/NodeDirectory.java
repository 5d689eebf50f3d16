package dev.ocean.server.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.server.error.NotFound;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.jdbi.v3.core.Jdbi;

/** Read side of nodes: what {@code node list}, {@code node get} and {@code gpu list} show. */
public final class NodeDirectory {
  private final Jdbi jdbi;
  private final ObjectMapper mapper;
  private final MetricsHistory history;
  private final Supplier<GpuHolders> holders;

  public NodeDirectory(
      Jdbi jdbi, ObjectMapper mapper, MetricsHistory history, Supplier<GpuHolders> holders) {
    this.jdbi = jdbi;
    this.mapper = mapper;
    this.history = history;
    this.holders = holders;
  }

  private long startedAt = Long.MIN_VALUE;
  private java.util.function.Predicate<String> heard = name -> true;

  /**
   * Nodes not heard from since the server started at {@code startedAt} (epoch ms) say so in their
   * reason: their state is the one from before the restart, and they get no new work until their
   * agent answers (qa11 T3).
   */
  public NodeDirectory notHeardSince(long startedAt, java.util.function.Predicate<String> heard) {
    this.startedAt = startedAt;
    this.heard = heard;
    return this;
  }

  /** Every node that has not been removed, by name. */
  public List<Node> list() {
    Map<String, Map<Integer, String>> held = holders.get().held();
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT * FROM nodes WHERE state <> 'removed' ORDER BY name")
                .map((rs, ctx) -> node(rs, held))
                .list());
  }

  public Node get(String name) {
    return find(name, "SELECT * FROM nodes WHERE name = ? AND state <> 'removed'");
  }

  /** The node even when it was just removed, for the answer to {@code remove}. */
  public Node getIncludingRemoved(String name) {
    return find(name, "SELECT * FROM nodes WHERE name = ?");
  }

  private Node find(String name, String sql) {
    Map<String, Map<Integer, String>> held = holders.get().held();
    return jdbi.withHandle(
        h ->
            h.createQuery(sql)
                .bind(0, name)
                .map((rs, ctx) -> node(rs, held))
                .findOne()
                .orElseThrow(() -> new NotFound("no node named " + name)));
  }

  /** One line per GPU in the cluster. */
  public List<Node.Gpu> gpus() {
    List<Node.Gpu> all = new ArrayList<>();
    for (Node n : list()) {
      all.addAll(n.gpuList());
    }
    return all;
  }

  public List<NodeMetrics> history(String name) {
    get(name);
    return history.history(name);
  }

  private Node node(ResultSet rs, Map<String, Map<Integer, String>> held) throws SQLException {
    String name = rs.getString("name");
    NodeFacts facts = facts(rs.getString("facts_json"));
    NodeMetrics metrics = history.latest(name).orElse(null);
    Map<Integer, String> nodeHeld = held.getOrDefault(name, Map.of());
    List<Node.Gpu> gpus = new ArrayList<>();
    for (GpuInfo g : facts.gpus()) {
      GpuSample s =
          metrics == null
              ? null
              : metrics.gpus().stream()
                  .filter(x -> x.index() == g.index())
                  .findFirst()
                  .orElse(null);
      gpus.add(
          new Node.Gpu(
              name,
              g.index(),
              g.uuid(),
              g.name(),
              s == null ? null : s.utilisationGpu(),
              s == null ? null : s.memoryUsedMib(),
              s != null && s.memoryTotalMib() != null ? s.memoryTotalMib() : g.memoryTotalMib(),
              s == null ? null : s.temperatureC(),
              s == null ? null : s.powerDrawW(),
              s == null ? null : s.powerLimitW(),
              nodeHeld.get(g.index()),
              g.problem() != null
                  ? g.problem()
                  : s == null
                      ? null
                      : s.problem() != null
                          ? s.problem()
                          : nodeHeld.containsKey(g.index()) ? null : usedOutsideOcean(s)));
    }
    return new Node(
        name,
        rs.getString("state"),
        rs.getInt("cpus"),
        rs.getLong("memory_bytes"),
        facts.gpus().size(),
        (int) gpus.stream().filter(g -> g.heldBy() != null).count(),
        rs.getString("gpu_model"),
        Instant.ofEpochMilli(rs.getLong("registered_at")),
        Instant.ofEpochMilli(rs.getLong("last_seen_at")),
        rs.getString("agent_version"),
        facts,
        metrics,
        gpus,
        // a lost node's last facts may be from its agent's shutdown: silence is the reason
        "lost".equals(rs.getString("state"))
            ? NodeHealth.silent(Instant.ofEpochMilli(rs.getLong("last_seen_at")))
            : rs.getLong("last_seen_at") < startedAt && !heard.test(name)
                ? NodeHealth.notHeardSince(Instant.ofEpochMilli(startedAt))
                : NodeHealth.why(facts));
  }

  /**
   * What a GPU that no run holds carries anyway, e.g. {@code used outside Ocean: pid 7741 python3,
   * 37 GiB}; null when nothing runs on it.
   */
  static String usedOutsideOcean(GpuSample s) {
    if (s.processes().isEmpty()) {
      return null;
    }
    var first = s.processes().getFirst();
    String name = first.processName() == null ? "?" : first.processName();
    name = name.substring(name.lastIndexOf('/') + 1);
    StringBuilder b = new StringBuilder("used outside Ocean: pid ").append(first.pid());
    b.append(' ').append(name);
    if (s.processes().size() > 1) {
      b.append(" and ").append(s.processes().size() - 1).append(" more");
    }
    if (s.memoryUsedMib() != null) {
      b.append(", ").append(s.memoryUsedMib() / 1024).append(" GiB");
    }
    return b.toString();
  }

  private NodeFacts facts(String json) {
    try {
      return mapper.readValue(json, NodeFacts.class);
    } catch (IOException e) {
      throw new UncheckedIOException("stored node facts are unreadable", e);
    }
  }
}
