package dev.ocean.server.cluster;

import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Predicate;
import org.jdbi.v3.core.Jdbi;

/**
 * Whether a node's agent has answered since this server started, on any server of the cluster. The
 * scheduler places work only on such nodes; an agent that talks to another server is heard of
 * through the heartbeat time it leaves in the database, later than this server's start.
 */
public final class HeardAnywhere implements Predicate<String> {
  private final Jdbi jdbi;
  private final Predicate<String> heardHere;
  private final long since;
  private final Set<String> heard = ConcurrentHashMap.newKeySet();

  /**
   * @param since the time (epoch ms) this server started; a heartbeat stored later counts
   */
  public HeardAnywhere(Jdbi jdbi, Predicate<String> heardHere, long since) {
    this.jdbi = jdbi;
    this.heardHere = heardHere;
    this.since = since;
  }

  @Override
  public boolean test(String node) {
    if (heard.contains(node) || heardHere.test(node)) {
      return true;
    }
    Optional<Long> seen =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT last_seen_at FROM nodes WHERE name = ?")
                    .bind(0, node)
                    .mapTo(Long.class)
                    .findOne());
    if (seen.isPresent() && seen.get() > since) {
      heard.add(node);
      return true;
    }
    return false;
  }
}
