package dev.ocean.server.node;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import org.jdbi.v3.core.Jdbi;
import org.jdbi.v3.core.statement.PreparedBatch;

/**
 * When each node was last heard by this server, kept in memory between flushes: the usual heartbeat
 * of a live node changes nothing but this time, and writing it at every heartbeat made heartbeats
 * the busiest writers of the database (thousands a second, each waiting for a commit). A flush
 * writes them all in a few batched updates; the lost-node check flushes first, and every server
 * flushes on a timer well inside the lost timeout, so a node heartbeating to any server of a
 * cluster is never seen as silent by the one that checks. A flush writes in transactions of its
 * own, not through the group commit: behind a backlog of thousands of agents' writes there, the
 * times waited so long that the check found nodes silent that had just heartbeated, and marked
 * thousands lost at once (the drain of 40,000 runs on 5,000 nodes stalled on it).
 */
final class LastSeen {
  /** Rows per transaction: other writers queued behind a flush wait for one chunk at most. */
  private static final int CHUNK = 512;

  private final Jdbi jdbi;
  private final Map<Long, Long> pending = new ConcurrentHashMap<>();

  LastSeen(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  /** Live nodes by the hash of their credential, for requests refused before authentication. */
  private volatile Map<String, Long> byCredential;

  /** Node {@code id} authenticated with {@code credential}. */
  void authenticated(String credential, long id) {
    Map<String, Long> known = byCredential;
    if (known != null) {
      known.put(dev.ocean.server.user.Tokens.hash(credential), id);
    }
  }

  /**
   * A request with the credential of hash {@code credentialHash} was refused unread (the server was
   * busy): its node, if it is one, was heard all the same. The first such request reads every
   * node's credential once; later ones look in memory.
   */
  void heardRefused(String credentialHash, long millis) {
    Map<String, Long> known = byCredential;
    if (known == null) {
      synchronized (this) {
        if (byCredential == null) {
          Map<String, Long> all = new ConcurrentHashMap<>();
          jdbi.useHandle(
              h ->
                  h.createQuery(
                          "SELECT id, credential_hash FROM nodes WHERE state <> 'removed'"
                              + " AND credential_hash IS NOT NULL")
                      .map((rs, ctx) -> Map.entry(rs.getString(2), rs.getLong(1)))
                      .forEach(e -> all.put(e.getKey(), e.getValue())));
          byCredential = all;
        }
        known = byCredential;
      }
    }
    Long id = known.get(credentialHash);
    if (id != null) {
      heard(id, millis);
    }
  }

  /** Node {@code id} was heard at {@code millis}. */
  void heard(long id, long millis) {
    pending.merge(id, millis, Math::max);
  }

  /** The time node {@code id} was heard by this server and not yet written, or -1. */
  long unwritten(long id) {
    return pending.getOrDefault(id, -1L);
  }

  /**
   * Writes every time heard since the last flush; a stored time is never moved back (the node may
   * have been seen later by another server, or by a heartbeat that wrote it itself).
   */
  void flush() {
    List<Map.Entry<Long, Long>> all = new ArrayList<>(pending.entrySet());
    // rows locked in id order: two servers flushing at once (PostgreSQL) never deadlock
    all.sort(Map.Entry.comparingByKey());
    for (int from = 0; from < all.size(); from += CHUNK) {
      List<Map.Entry<Long, Long>> chunk = all.subList(from, Math.min(all.size(), from + CHUNK));
      jdbi.inTransaction(
          h -> {
            PreparedBatch batch =
                h.prepareBatch(
                    "UPDATE nodes SET last_seen_at = ? WHERE id = ? AND last_seen_at < ?");
            for (Map.Entry<Long, Long> e : chunk) {
              batch.bind(0, e.getValue()).bind(1, e.getKey()).bind(2, e.getValue()).add();
            }
            return batch.execute();
          });
      for (Map.Entry<Long, Long> e : chunk) {
        pending.remove(e.getKey(), e.getValue()); // a newer time heard meanwhile stays pending
      }
    }
  }
}
