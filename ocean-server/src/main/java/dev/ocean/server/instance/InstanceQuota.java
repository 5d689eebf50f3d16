package dev.ocean.server.instance;

import dev.ocean.server.error.QuotaExceeded;
import dev.ocean.server.quota.QuotaLedger;
import org.jdbi.v3.core.Handle;

/**
 * Whether the owner's quota still covers a stopped instance that is asked to start. Each instance
 * holds one unit until deleted; the quota sweep ({@code QuotaStops}) covers a user's instances of a
 * type oldest first, so an instance beyond the units granted may not start: it would run until the
 * next sweep stops it under its user's SSH session.
 */
final class InstanceQuota {
  private InstanceQuota() {}

  static void requireCovered(Handle h, QuotaLedger ledger, InstanceLifecycle.Row r) {
    String type =
        h.createQuery("SELECT machine_type FROM jobs WHERE id = ?")
            .bind(0, r.jobId())
            .mapTo(String.class)
            .one();
    int older =
        h.createQuery(
                "SELECT COUNT(*) FROM instances o JOIN jobs j ON j.id = o.job_id, instances i"
                    + " WHERE i.id = ? AND o.user_id = i.user_id AND o.deleted_at IS NULL AND"
                    + " j.machine_type = ? AND (o.created_at < i.created_at OR (o.created_at ="
                    + " i.created_at AND o.id < i.id))")
            .bind(0, r.id())
            .bind(1, type)
            .mapTo(Integer.class)
            .one();
    int granted = ledger.granted(h, r.userId(), type);
    if (older < granted) {
      return;
    }
    String ask =
        "; ask for more with `ocean quota request --machine-type "
            + type
            + " --count N --days D --reason R`";
    if (granted == 0) {
      throw new QuotaExceeded(
          "instance "
              + r.name()
              + " cannot start: you have no active quota for machine type "
              + type
              + ask);
    }
    throw new QuotaExceeded(
        "instance "
            + r.name()
            + " cannot start: your quota for machine type "
            + type
            + " covers "
            + granted
            + " instance"
            + (granted == 1 ? "" : "s")
            + " and your older ones hold it; delete one"
            + ask.replace("; ask", " or ask"));
  }
}
