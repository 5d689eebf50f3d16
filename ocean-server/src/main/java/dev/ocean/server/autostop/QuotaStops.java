package dev.ocean.server.autostop;

import dev.ocean.server.quota.QuotaLedger;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Stops instances their owner's quota no longer covers, after a quota expired or was revoked. Each
 * instance holds one unit of its machine type until deleted, so a user's instances of a type,
 * oldest first, are covered by the units still granted; the live ones beyond (the newest) are
 * stopped with reason {@code quota for T expired} (or {@code revoked}). Their volumes stay. Runs
 * with the quota expiry timer; idempotent, as a stopped instance is no longer live.
 */
public final class QuotaStops {
  private static final Logger LOG = LoggerFactory.getLogger(QuotaStops.class);

  private final Jdbi jdbi;
  private final QuotaLedger ledger;
  private final InstanceStopper stopper;

  public QuotaStops(Jdbi jdbi, QuotaLedger ledger, InstanceStopper stopper) {
    this.jdbi = jdbi;
    this.ledger = ledger;
    this.stopper = stopper;
  }

  private record Held(long id, long userId, String machineType, boolean live) {}

  private record Stop(long id, String reason) {}

  /** Stops the live instances beyond their owners' quota; returns how many. */
  public int sweep() {
    List<Stop> stops = jdbi.withHandle(this::beyondQuota);
    for (Stop s : stops) {
      try {
        stopper.stop(s.id(), s.reason());
        LOG.info("stopped instance {}: {}", s.id(), s.reason());
      } catch (RuntimeException e) {
        LOG.warn("could not stop instance {} beyond quota; will retry", s.id(), e);
      }
    }
    return stops.size();
  }

  private List<Stop> beyondQuota(Handle h) {
    Map<String, List<Held>> byOwnerAndType = new HashMap<>();
    h.createQuery(
            "SELECT i.id, i.user_id, j.machine_type, (SELECT COUNT(*) FROM runs r WHERE r.job_id"
                + " = i.job_id AND r.state IN ('pending', 'assigned', 'running') AND"
                + " r.cancel_requested_at IS NULL) AS live_runs FROM instances i JOIN jobs j ON"
                + " j.id = i.job_id WHERE i.deleted_at IS NULL ORDER BY i.created_at, i.id")
        .map(
            (rs, ctx) ->
                new Held(
                    rs.getLong("id"),
                    rs.getLong("user_id"),
                    rs.getString("machine_type"),
                    rs.getInt("live_runs") > 0))
        .forEach(
            i ->
                byOwnerAndType
                    .computeIfAbsent(i.userId() + "/" + i.machineType(), k -> new ArrayList<>())
                    .add(i));
    List<Stop> stops = new ArrayList<>();
    for (List<Held> held : byOwnerAndType.values()) {
      Held first = held.getFirst();
      int granted = ledger.granted(h, first.userId(), first.machineType());
      String reason = null;
      for (int i = granted; i < held.size(); i++) {
        if (held.get(i).live()) {
          if (reason == null) {
            reason = reason(h, first.userId(), first.machineType());
          }
          stops.add(new Stop(held.get(i).id(), reason));
        }
      }
    }
    return stops;
  }

  /** Why the quota is gone: the state of the user's quota of this type that ended last. */
  private static String reason(Handle h, long userId, String machineType) {
    String ended =
        h.createQuery(
                "SELECT state FROM quotas WHERE user_id = ? AND machine_type = ? AND state <>"
                    + " 'active' ORDER BY ended_at DESC, id DESC")
            .bind(0, userId)
            .bind(1, machineType)
            .mapTo(String.class)
            .findFirst()
            .orElse(null);
    return ended == null ? "no quota for " + machineType : "quota for " + machineType + " " + ended;
  }
}
