package dev.ocean.server.catalog;

import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.Handle;

/**
 * What besides active work still refers to a machine type: active quotas and pending quota
 * requests, each named with the command that clears it, so a refused delete says which (qa7 K9).
 */
final class CatalogReferences {
  private static final int SHOWN = 3;

  private CatalogReferences() {}

  /** One sentence part per reference (at most a few, then how many more); empty when none. */
  static List<String> of(Handle h, String machineType) {
    List<String> found = new ArrayList<>();
    h.createQuery(
            "SELECT q.id, u.email FROM quotas q JOIN users u ON u.id = q.user_id"
                + " WHERE q.machine_type = :n AND q.state = 'active' ORDER BY q.id")
        .bind("n", machineType)
        .map(
            (rs, ctx) ->
                "quota "
                    + rs.getLong("id")
                    + " of "
                    + rs.getString("email")
                    + " (`ocean admin quota revoke "
                    + rs.getLong("id")
                    + "`)")
        .forEach(found::add);
    h.createQuery(
            "SELECT r.id, u.email FROM quota_requests r JOIN users u ON u.id = r.user_id"
                + " WHERE r.machine_type = :n AND r.state = 'pending' ORDER BY r.id")
        .bind("n", machineType)
        .map(
            (rs, ctx) ->
                "pending quota request "
                    + rs.getLong("id")
                    + " of "
                    + rs.getString("email")
                    + " (`ocean admin quota-request reject "
                    + rs.getLong("id")
                    + " --note TEXT`)")
        .forEach(found::add);
    if (found.size() <= SHOWN) {
      return found;
    }
    List<String> shown = new ArrayList<>(found.subList(0, SHOWN));
    shown.add((found.size() - SHOWN) + " more (`ocean admin quota list --all`)");
    return shown;
  }
}
