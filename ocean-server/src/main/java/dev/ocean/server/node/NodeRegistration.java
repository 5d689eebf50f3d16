package dev.ocean.server.node;

import com.fasterxml.jackson.core.JsonProcessingException;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.user.Tokens;
import java.time.Clock;
import java.util.Optional;
import org.jdbi.v3.core.Jdbi;

/** A node joining the cluster with a join token, and an agent leaving it on its own. */
final class NodeRegistration {
  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final ObjectMapper mapper;
  private final MetricsHistory history;
  private final JoinTokens tokens;
  private final int heartbeatSeconds;
  private final NodeEvents events;

  NodeRegistration(
      Jdbi jdbi,
      Clock clock,
      AuditLog audit,
      ObjectMapper mapper,
      MetricsHistory history,
      JoinTokens tokens,
      int heartbeatSeconds,
      NodeEvents events) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.mapper = mapper;
    this.history = history;
    this.tokens = tokens;
    this.heartbeatSeconds = heartbeatSeconds;
    this.events = events;
  }

  /** Admits a node with a valid join token and returns its new credential. */
  Registration.Accepted register(Registration reg) {
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
      events.lost(reg.name(), NodeService.NODE_REMOVED);
    }
    String credential = Tokens.newSecret("ocn_");
    long now = clock.millis();
    NodeFacts facts = reg.facts();
    String factsJson = json(mapper, facts);
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
              NodeChanges.bump(h);
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
    if (reg.metrics() != null) {
      history.add(reg.name(), reg.metrics());
    }
    events.changed();
    return accepted;
  }

  /** The agent leaves the cluster on its own ({@code ocean-agent leave}). */
  void leave(NodeRef node) {
    jdbi.useTransaction(
        h -> {
          NodeLifecycle.tryMove(h, node.name(), NodeState.REMOVED);
          audit.record(h, "node/" + node.name(), "node.leave", "node/" + node.name(), null);
        });
    history.forget(node.name());
    events.lost(node.name(), NodeService.NODE_REMOVED);
    events.changed();
  }

  /** The model of the node's GPUs, read from one that works (a broken one has no name). */
  static String gpuModel(NodeFacts facts) {
    return facts.healthyGpus().stream()
        .map(GpuInfo::name)
        .filter(java.util.Objects::nonNull)
        .findFirst()
        .orElse(null);
  }

  static String json(ObjectMapper mapper, Object o) {
    try {
      return mapper.writeValueAsString(o);
    } catch (JsonProcessingException e) {
      throw new Invalid("facts", "facts could not be encoded");
    }
  }
}
