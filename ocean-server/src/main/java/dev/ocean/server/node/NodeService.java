package dev.ocean.server.node;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.agent.EndReason;
import dev.ocean.common.api.agent.RunId;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.Registration;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.store.GroupCommit;
import dev.ocean.server.user.Principal;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.function.BiConsumer;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * The node lifecycle ({@link NodeState}) as the API sees it: heartbeats and admin actions here,
 * joining and leaving in {@link NodeRegistration}, the lost sweep in {@link NodeLossSweep}.
 */
public final class NodeService {
  private final java.util.Set<String> heardSinceStart =
      java.util.concurrent.ConcurrentHashMap.newKeySet();
  private final Jdbi jdbi;
  private final GroupCommit writes;
  private final Clock clock;
  private final AuditLog audit;
  private final ObjectMapper mapper;
  private final MetricsHistory history;
  private final JoinTokens tokens;
  private final NodeCredentials credentials;
  private final NodeEvents events = new NodeEvents();
  private final NodeRegistration registration;
  private final NodeLossSweep sweep;
  private final LastSeen lastSeen;

  /** The reason runs end with when their node was removed or left. */
  public static final String NODE_REMOVED = EndReason.NODE_REMOVED.text();

  /** The reason runs end with when their node stopped heartbeating. */
  public static final String NODE_LOST = EndReason.NODE_LOST.text();

  public NodeService(
      Jdbi jdbi,
      GroupCommit writes,
      Clock clock,
      AuditLog audit,
      ObjectMapper mapper,
      MetricsHistory history,
      Duration lostAfter,
      int heartbeatSeconds) {
    this.jdbi = jdbi;
    this.writes = writes;
    this.clock = clock;
    this.audit = audit;
    this.mapper = mapper;
    this.history = history;
    this.tokens = new JoinTokens(jdbi, clock, audit);
    this.credentials = new NodeCredentials(jdbi, audit);
    this.registration =
        new NodeRegistration(jdbi, clock, audit, mapper, history, tokens, heartbeatSeconds, events);
    this.sweep = new NodeLossSweep(jdbi, clock, audit, lostAfter, events);
    this.lastSeen = new LastSeen(jdbi);
  }

  /**
   * Whether this node's agent has heartbeated since this server started. Until it has, the node
   * keeps its state (so a restart marks nobody lost) but gets no new work: its agent may have died
   * while the server was down, and a run placed there would only wait to fail "node lost".
   */
  public boolean heardSinceStart(String name) {
    return heardSinceStart.contains(name);
  }

  /** Called after any change of a node's state or capacity (the scheduler listens). */
  public void onChange(Runnable listener) {
    events.onChange(listener);
  }

  /**
   * Called with the node's name and why ({@link #NODE_LOST}, {@link #NODE_REMOVED}) when it is lost
   * or removed: its runs cannot finish there.
   */
  public void onLost(BiConsumer<String, String> listener) {
    events.onLost(listener);
  }

  /** The join tokens that admit new nodes. */
  public JoinTokens tokens() {
    return tokens;
  }

  /** Admits a node with a valid join token and returns its new credential. */
  public Registration.Accepted register(Registration reg) {
    Registration.Accepted accepted = registration.register(reg);
    if (heardSinceStart.add(accepted.nodeName())) {
      changed(); // the scheduler may have looked before the node counted as heard from
    }
    return accepted;
  }

  /** The agent leaves the cluster on its own ({@code ocean-agent leave}). */
  public void leave(NodeRef node) {
    registration.leave(node);
  }

  /** The node behind a credential, unless it was removed ({@link NodeCredentials}). */
  public Optional<NodeRef> authenticate(String credential) {
    Optional<NodeRef> node = credentials.authenticate(credential);
    // any request of its agent (heartbeat, work poll, report) says the node is alive: a heartbeat
    // that waits behind thousands of polls does not make a node that polls lost
    if (node.isPresent()) {
      lastSeen.heard(node.get().id(), clock.millis());
      lastSeen.authenticated(credential, node.get().id());
      if (heardSinceStart.add(node.get().name())) {
        changed();
      }
    }
    return node;
  }

  /**
   * A request with {@code credential} was refused before it was read (the server shed load): a node
   * that keeps trying is alive, so it counts as heard ({@link LastSeen#heardRefused}).
   */
  public void heardThoughRefused(String credential) {
    lastSeen.heardRefused(dev.ocean.server.user.Tokens.hash(credential), clock.millis());
  }

  public Heartbeat.Ack heartbeat(NodeRef node, Heartbeat hb) {
    if (hb.metrics() != null) {
      NodeReportLimits.check("metrics", hb.metrics());
    }
    if (hb.facts() != null) {
      NodeReportLimits.check("facts", hb.facts());
    }
    List<RunId> active = NodeReportLimits.activeRuns(hb.activeRuns());
    if (hb.metrics() != null) {
      history.add(node.name(), hb.metrics());
    }
    if (hb.facts() == null && active.isEmpty() && !node.rotate() && !node.state().equals("lost")) {
      // The usual heartbeat of a live node is answered from the row its credential was looked up
      // by: its time waits in memory for the next flush (LastSeen), no read, no commit. Anything
      // else (back from lost, a rotation, new facts) reads again and writes below.
      lastSeen.heard(node.id(), clock.millis());
      return new Heartbeat.Ack(node.state(), null);
    }
    String[] state = new String[1];
    String[] fresh = new String[1];
    // Many nodes heartbeat at once: their updates share one commit.
    boolean cameBack =
        writes.write(
            h -> {
              Beat beat = beat(h, node);
              String before = beat.state();
              h.createUpdate("UPDATE nodes SET last_seen_at = ? WHERE id = ?")
                  .bind(0, clock.millis())
                  .bind(1, node.id())
                  .execute();
              if (before.equals("lost")) {
                // back: to what the admin left it on (ready or draining)
                NodeLifecycle.tryMove(h, node.name(), NodeState.of(beat.desired()));
              }
              if (hb.facts() != null) {
                h.createUpdate(
                        "UPDATE nodes SET facts_json = ?, gpus = ?, gpu_model = ? WHERE id = ?")
                    .bind(0, NodeRegistration.json(mapper, hb.facts()))
                    .bind(1, hb.facts().gpus().size())
                    .bind(2, NodeRegistration.gpuModel(hb.facts()))
                    .bind(3, node.id())
                    .execute();
                NodeChanges.bump(h); // its GPUs, runtime or storage may have changed
              }
              if (!active.isEmpty()) {
                InstanceActivity.touch(h, node.name(), active, clock.millis());
              }
              state[0] = before.equals("lost") ? stateOf(h, node.name()) : before;
              fresh[0] = beat.rotate() ? NodeCredentials.issueIfRequested(h, node.id()) : null;
              if (before.equals("lost")) {
                audit.record(h, "system", "node.back", "node/" + node.name(), "now " + state[0]);
                return true;
              }
              return false;
            });
    if (cameBack || hb.facts() != null) {
      changed(); // new facts may free or block GPUs: the scheduler looks again
    }
    return new Heartbeat.Ack(state[0], fresh[0]);
  }

  private static Beat beat(Handle h, NodeRef node) {
    return h.createQuery("SELECT state, desired, rotate_requested FROM nodes WHERE id = ?")
        .bind(0, node.id())
        .map(
            (rs, ctx) ->
                new Beat(
                    rs.getString("state"),
                    rs.getString("desired"),
                    rs.getInt("rotate_requested") != 0))
        .one();
  }

  /**
   * Writes the heartbeat times this server holds in memory; every server calls it on a timer well
   * inside the lost timeout, so that another server's lost-node check sees them.
   */
  public void flushLastSeen() {
    lastSeen.flush();
  }

  /** When this server last heard node {@code id} if that is not yet written, else -1. */
  long unwrittenLastSeen(long id) {
    return lastSeen.unwritten(id);
  }

  /** Gives every live node a fresh lost timeout, at server start ({@link NodeLossSweep}). */
  public void startupGrace() {
    sweep.startupGrace();
  }

  /** Marks nodes silent for longer than the lost timeout as lost; returns their names. */
  public List<String> markLost() {
    lastSeen.flush(); // the times heard here first: a node heard now is not silent
    return sweep.markLost(lastSeen::unwritten); // and those heard while the flush waited
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
              h.createUpdate("UPDATE nodes SET desired = ? WHERE name = ?")
                  .bind(0, desired)
                  .bind(1, name)
                  .execute();
              if (current != NodeState.LOST) {
                // a lost node keeps being lost; it comes back as what is desired now
                NodeLifecycle.move(h, name, NodeState.of(desired));
              }
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
              NodeLifecycle.move(h, name, NodeState.REMOVED);
              history.forget(name);
            }
            case "rotate" -> NodeCredentials.requestRotation(h, name);
            default -> throw new NotFound("unknown node action " + action);
          }
          audit.record(
              h, admin.email(), "node." + action, "node/" + name, "was " + current.wireName());
        });
    if (action.equals("remove")) {
      events.lost(name, NODE_REMOVED);
    }
    changed();
  }

  private void changed() {
    events.changed();
  }

  /** What a heartbeat reads of its node. */
  private record Beat(String state, String desired, boolean rotate) {}

  private static String stateOf(Handle h, String name) {
    return h.createQuery("SELECT state FROM nodes WHERE name = ?")
        .bind(0, name)
        .mapTo(String.class)
        .one();
  }
}
