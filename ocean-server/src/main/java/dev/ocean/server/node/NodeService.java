package dev.ocean.server.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.Version;
import dev.ocean.common.api.agent.EndReason;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.user.Principal;
import dev.ocean.server.user.Tokens;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Join tokens, node registration, heartbeats and the node lifecycle ({@link NodeState}). */
public final class NodeService {
  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final ObjectMapper mapper;
  private final MetricsHistory history;
  private final Duration lostAfter;
  private final int heartbeatSeconds;
  private final JoinTokens tokens;
  private final NodeCredentials credentials;
  private final List<Runnable> changeListeners = new CopyOnWriteArrayList<>();
  private final List<BiConsumer<String, String>> lostListeners = new CopyOnWriteArrayList<>();

  /** The reason runs end with when their node was removed or left. */
  public static final String NODE_REMOVED = EndReason.NODE_REMOVED.text();

  /** The reason runs end with when their node stopped heartbeating. */
  public static final String NODE_LOST = EndReason.NODE_LOST.text();

  public NodeService(
      Jdbi jdbi,
      Clock clock,
      AuditLog audit,
      ObjectMapper mapper,
      MetricsHistory history,
      Duration lostAfter,
      int heartbeatSeconds) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.mapper = mapper;
    this.history = history;
    this.lostAfter = lostAfter;
    this.heartbeatSeconds = heartbeatSeconds;
    this.tokens = new JoinTokens(jdbi, clock, audit);
    this.credentials = new NodeCredentials(jdbi, audit);
  }

  /** Called after any change of a node's state or capacity (the scheduler listens). */
  public void onChange(Runnable listener) {
    changeListeners.add(listener);
  }

  /**
   * Called with the node's name and why ({@link #NODE_LOST}, {@link #NODE_REMOVED}) when it is lost
   * or removed: its runs cannot finish there.
   */
  public void onLost(BiConsumer<String, String> listener) {
    lostListeners.add(listener);
  }

  /** The join tokens that admit new nodes. */
  public JoinTokens tokens() {
    return tokens;
  }

  /** Admits a node with a valid join token and returns its new credential. */
  public Registration.Accepted register(Registration reg) {
    Check.required("joinToken", reg.joinToken());
    Check.required("name", reg.name());
    Check.rule("name", Rules.resourceName("node", reg.name()));
    Check.required("facts", reg.facts());
    NodeReportLimits.check(reg);
    boolean reusesRemovedName =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT COUNT(*) FROM nodes WHERE name = ? AND state = 'removed'")
                        .bind(0, reg.name())
                        .mapTo(Integer.class)
                        .one()
                    > 0);
    if (reusesRemovedName) {
      // Whatever the old node held is finished before a new node takes its name.
      lostListeners.forEach(l -> l.accept(reg.name(), NODE_REMOVED));
    }
    String credential = Tokens.newSecret("ocn_");
    long now = clock.millis();
    NodeFacts facts = reg.facts();
    String factsJson = json(facts);
    int cpus = facts.cpuCores() == null ? 0 : facts.cpuCores();
    long memory = facts.memoryTotalBytes() == null ? 0 : facts.memoryTotalBytes();
    String model = gpuModel(facts);
    Registration.Accepted accepted =
        jdbi.inTransaction(
            h -> {
              long tokenId = tokens.admit(h, reg.joinToken(), now);
              Optional<String> existing =
                  h.createQuery("SELECT state FROM nodes WHERE name = ?")
                      .bind(0, reg.name())
                      .mapTo(String.class)
                      .findOne();
              if (existing.isPresent() && !existing.get().equals("removed")) {
                throw new Conflict(
                    "name",
                    "a node named "
                        + reg.name()
                        + " is already registered; pick another --name or remove it first");
              }
              h.createUpdate("DELETE FROM nodes WHERE name = ?").bind(0, reg.name()).execute();
              h.createUpdate(
                      "INSERT INTO nodes (name, state, credential_hash, agent_version, cpus,"
                          + " memory_bytes, gpus, gpu_model, facts_json, registered_at,"
                          + " last_seen_at, desired, join_token_id) VALUES (?, 'ready', ?, ?, ?,"
                          + " ?, ?, ?, ?, ?, ?, 'ready', ?)")
                  .bind(0, reg.name())
                  .bind(1, Tokens.hash(credential))
                  .bind(2, reg.agentVersion())
                  .bind(3, cpus)
                  .bind(4, memory)
                  .bind(5, facts.gpus().size())
                  .bind(6, model)
                  .bind(7, factsJson)
                  .bind(8, now)
                  .bind(9, now)
                  .bind(10, tokenId)
                  .execute();
              audit.record(
                  h,
                  "join-token/" + tokenId,
                  "node.register",
                  "node/" + reg.name(),
                  cpus
                      + " CPU, "
                      + facts.gpus().size()
                      + " GPU"
                      + (model == null ? "" : " " + model));
              String registration =
                  java.util.UUID.randomUUID().toString().replace("-", "").substring(0, 12);
              return new Registration.Accepted(
                  reg.name(), credential, heartbeatSeconds, registration);
            });
    changed();
    return accepted;
  }

  /** The node behind a credential, unless it was removed ({@link NodeCredentials}). */
  public Optional<NodeRef> authenticate(String credential) {
    return credentials.authenticate(credential);
  }

  public Heartbeat.Ack heartbeat(NodeRef node, Heartbeat hb) {
    if (hb.metrics() != null) {
      NodeReportLimits.check("metrics", hb.metrics());
    }
    if (hb.facts() != null) {
      NodeReportLimits.check("facts", hb.facts());
    }
    if (hb.metrics() != null) {
      history.add(node.name(), hb.metrics());
    }
    String[] state = new String[1];
    String[] fresh = new String[1];
    boolean cameBack =
        jdbi.inTransaction(
            h -> {
              String before = stateOf(h, node.name());
              h.createUpdate(
                      "UPDATE nodes SET last_seen_at = ?, state = CASE WHEN state = 'lost' THEN"
                          + " desired ELSE state END WHERE id = ?")
                  .bind(0, clock.millis())
                  .bind(1, node.id())
                  .execute();
              if (hb.facts() != null) {
                h.createUpdate(
                        "UPDATE nodes SET facts_json = ?, gpus = ?, gpu_model = ? WHERE id = ?")
                    .bind(0, json(hb.facts()))
                    .bind(1, hb.facts().gpus().size())
                    .bind(2, gpuModel(hb.facts()))
                    .bind(3, node.id())
                    .execute();
              }
              state[0] = stateOf(h, node.name());
              fresh[0] = NodeCredentials.issueIfRequested(h, node.id());
              if (before.equals("lost")) {
                audit.record(h, "system", "node.back", "node/" + node.name(), "now " + state[0]);
                return true;
              }
              return false;
            });
    if (cameBack) {
      changed();
    }
    return new Heartbeat.Ack(state[0], fresh[0]);
  }

  /**
   * At server start every live node counts as just seen: while the server was down no agent could
   * heartbeat, and its runs must not be failed for the server's own absence.
   */
  public void startupGrace() {
    jdbi.useHandle(
        h ->
            h.createUpdate(
                    "UPDATE nodes SET last_seen_at = ? WHERE state IN ('ready', 'draining') AND"
                        + " last_seen_at < ?")
                .bind(0, clock.millis())
                .bind(1, clock.millis())
                .execute());
  }

  /** Marks nodes silent for longer than the lost timeout as lost; returns their names. */
  public List<String> markLost() {
    long cutoff = clock.millis() - lostAfter.toMillis();
    List<String> lost =
        jdbi.inTransaction(
            h -> {
              List<String> names =
                  h.createQuery(
                          "SELECT name FROM nodes WHERE state IN ('ready', 'draining') AND"
                              + " last_seen_at < ?")
                      .bind(0, cutoff)
                      .mapTo(String.class)
                      .list();
              for (String n : names) {
                h.createUpdate("UPDATE nodes SET state = 'lost' WHERE name = ?")
                    .bind(0, n)
                    .execute();
                audit.record(
                    h, "system", "node.lost", "node/" + n, "no heartbeat for " + lostAfter);
              }
              return names;
            });
    for (String n : lost) {
      lostListeners.forEach(l -> l.accept(n, NODE_LOST));
    }
    if (!lost.isEmpty()) {
      changed();
    }
    return lost;
  }

  /**
   * Admin actions: drain, undrain, remove, rotate (the node's credential, at its next heartbeat).
   * Removing a node that still has runs is refused unless {@code force}: then its runs end ({@link
   * #NODE_REMOVED}) and its agent, refused from now on, stops them.
   */
  public void change(Principal admin, String name, String action, boolean force) {
    jdbi.useTransaction(
        h -> {
          NodeState current =
              h.createQuery("SELECT state FROM nodes WHERE name = ?")
                  .bind(0, name)
                  .mapTo(String.class)
                  .findOne()
                  .map(NodeState::of)
                  .filter(s -> s != NodeState.REMOVED)
                  .orElseThrow(() -> new NotFound("no node named " + name));
          switch (action) {
            case "drain", "undrain" -> {
              String desired = action.equals("drain") ? "draining" : "ready";
              h.createUpdate(
                      "UPDATE nodes SET desired = ?, state = CASE WHEN state = 'lost' THEN state"
                          + " ELSE ? END WHERE name = ?")
                  .bind(0, desired)
                  .bind(1, desired)
                  .bind(2, name)
                  .execute();
            }
            case "remove" -> {
              int active =
                  h.createQuery(
                          "SELECT COUNT(*) FROM runs WHERE node = ? AND state IN ('assigned',"
                              + " 'running')")
                      .bind(0, name)
                      .mapTo(Integer.class)
                      .one();
              if (active > 0 && !force) {
                throw new Conflict(
                    "node "
                        + name
                        + " still has "
                        + active
                        + (active == 1 ? " run" : " runs")
                        + "; drain it and wait, or remove it with --force to stop them");
              }
              h.createUpdate("UPDATE nodes SET state = 'removed' WHERE name = ?")
                  .bind(0, name)
                  .execute();
              history.forget(name);
            }
            case "rotate" -> NodeCredentials.requestRotation(h, name);
            default -> throw new NotFound("unknown node action " + action);
          }
          audit.record(
              h, admin.email(), "node." + action, "node/" + name, "was " + current.wireName());
        });
    if (action.equals("remove")) {
      lostListeners.forEach(l -> l.accept(name, NODE_REMOVED));
    }
    changed();
  }

  /** The agent leaves the cluster on its own ({@code ocean-agent leave}). */
  public void leave(NodeRef node) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("UPDATE nodes SET state = 'removed' WHERE id = ?")
              .bind(0, node.id())
              .execute();
          audit.record(h, "node/" + node.name(), "node.leave", "node/" + node.name(), null);
        });
    history.forget(node.name());
    lostListeners.forEach(l -> l.accept(node.name(), NODE_REMOVED));
    changed();
  }

  /** The model of the node's GPUs, read from one that works (a broken one has no name). */
  private static String gpuModel(NodeFacts facts) {
    return facts.healthyGpus().stream()
        .map(GpuInfo::name)
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  private void changed() {
    changeListeners.forEach(Runnable::run);
  }

  private static String stateOf(Handle h, String name) {
    return h.createQuery("SELECT state FROM nodes WHERE name = ?")
        .bind(0, name)
        .mapTo(String.class)
        .one();
  }

  private String json(Object o) {
    try {
      return mapper.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new Invalid("facts", "facts could not be encoded");
    }
  }

  /** The protocol version this server speaks, for the refusal message. */
  public static int protocol() {
    return Version.AGENT_PROTOCOL;
  }
}
