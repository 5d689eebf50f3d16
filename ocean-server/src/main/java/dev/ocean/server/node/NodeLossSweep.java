package dev.ocean.server.node;

import dev.ocean.server.audit.AuditLog;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.function.LongUnaryOperator;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Node-loss recovery: nodes that stop heartbeating become lost, and the listeners end the runs they
 * held ({@link NodeService#NODE_LOST}); at start the server forgives its own downtime.
 */
final class NodeLossSweep {
  private static final Logger LOG = LoggerFactory.getLogger(NodeLossSweep.class);
  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final Duration lostAfter;
  private final NodeEvents events;

  NodeLossSweep(Jdbi jdbi, Clock clock, AuditLog audit, Duration lostAfter, NodeEvents events) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.lostAfter = lostAfter;
    this.events = events;
  }

  /**
   * At server start every live node gets a fresh lost timeout: while the server was down no agent
   * could heartbeat, and its runs must not be failed for the server's own absence. The time of each
   * node's last heartbeat stays as it was, for {@code node list} to show (qa11 T3): the timeout
   * runs from this moment instead ({@link #graceFrom}).
   */
  void startupGrace() {
    graceFrom = clock.millis();
  }

  /**
   * Since when (epoch ms, this server's clock) no live node counts as silent: the server's start,
   * or its last pause or wall-clock step. A node is silent once both its last heartbeat and this
   * are older than the lost timeout.
   */
  private volatile long graceFrom;

  /**
   * Marks nodes silent for longer than the lost timeout as lost; returns their names. {@code
   * heardHere} gives when this server heard a node and has not written it yet (else -1): a node
   * heard since the cutoff is not silent, even if the time is not in the database yet.
   */
  List<String> markLost(LongUnaryOperator heardHere) {
    long since = lastCheckEnded;
    try {
      long ranNanos = System.nanoTime() - since;
      if (since != 0 && ranNanos > stalledAfterNanos()) {
        // This server was paused (a long collection, a starved machine): the nodes' heartbeats
        // could not be heard meanwhile, so, as after a restart, none is blamed for the silence.
        startupGrace();
        return List.of();
      }
      long stepMillis = clock.millis() - lastCheckWall - ranNanos / 1_000_000;
      if (since != 0 && stepMillis > stalledAfterNanos() / 1_000_000) {
        // The wall clock stepped forward (NTP step, a resumed VM, date -s) much further than time
        // passed here: the heartbeat times stored before the step would read as a long silence of
        // every node, so each gets a fresh timeout, counted on the new clock.
        LOG.warn(
            "The wall clock stepped forward by {}; every node gets a fresh lost timeout.",
            Duration.ofMillis(stepMillis));
        startupGrace();
        return List.of();
      }
      return markSilent(heardHere);
    } finally {
      lastCheckEnded = System.nanoTime();
      lastCheckWall = clock.millis();
    }
  }

  /** When the last check ended ({@link System#nanoTime}), 0 before the first. */
  private volatile long lastCheckEnded;

  /** When the last check ended by the wall clock (epoch ms). */
  private volatile long lastCheckWall;

  /**
   * A gap between two checks (run about every second) longer than a third of the lost timeout, and
   * at least 2 s, means this server did not run, not that the nodes were silent.
   */
  private long stalledAfterNanos() {
    return Math.max(lostAfter.toNanos() / 3, 2_000_000_000L);
  }

  private List<String> markSilent(LongUnaryOperator heardHere) {
    long cutoff = clock.millis() - lostAfter.toMillis();
    if (graceFrom >= cutoff) {
      return List.of(); // every node's fresh timeout still runs
    }
    // Looked for first without the write lock (every transaction takes it up front): in a healthy
    // cluster nobody is silent, and a check each second over thousands of nodes held up every
    // other writer for as long as the scan took.
    if (jdbi.withHandle(h -> silent(h, cutoff, heardHere)).isEmpty()) {
      return List.of();
    }
    List<String> lost =
        jdbi.inTransaction(
            h -> {
              List<String> names = silent(h, cutoff, heardHere);
              for (String n : names) {
                NodeLifecycle.tryMove(h, n, NodeState.LOST);
                audit.record(
                    h, "system", "node.lost", "node/" + n, "no heartbeat for " + lostAfter);
              }
              return names;
            });
    for (String n : lost) {
      events.lost(n, NodeService.NODE_LOST);
    }
    if (!lost.isEmpty()) {
      events.changed();
    }
    return lost;
  }

  /** The live nodes not heard since {@code cutoff}, here or in the database. */
  private static List<String> silent(Handle h, long cutoff, LongUnaryOperator heardHere) {
    return h
        .createQuery(
            "SELECT id, name FROM nodes WHERE state IN ('ready', 'draining') AND last_seen_at < ?")
        .bind(0, cutoff)
        .map(
            (rs, ctx) ->
                heardHere.applyAsLong(rs.getLong("id")) >= cutoff ? null : rs.getString("name"))
        .stream()
        .filter(java.util.Objects::nonNull)
        .toList();
  }
}
