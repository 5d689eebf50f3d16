package dev.ocean.server.job;

import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Who holds which GPU now, for the node views. */
final class GpuHolders {
  private GpuHolders() {}

  /** node → index → "user (job N run I)" or "user (instance NAME)". */
  static Map<String, Map<Integer, String>> of(Jdbi jdbi) {
    Map<String, Map<Integer, String>> held = new HashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT r.node, r.gpus, r.job_id, r.run_index, u.email, i.name AS instance"
                        + " FROM runs r JOIN jobs j ON j.id = r.job_id JOIN users u ON u.id ="
                        + " j.user_id LEFT JOIN instances i ON i.job_id = j.id AND i.deleted_at IS"
                        + " NULL WHERE r.state IN ('assigned', 'running')")
                .map(
                    (rs, ctx) -> {
                      for (int g : JobStore.gpus(rs.getString("gpus"))) {
                        held.computeIfAbsent(rs.getString("node"), k -> new HashMap<>())
                            .put(
                                g,
                                rs.getString("instance") != null
                                    ? rs.getString("email")
                                        + " (instance "
                                        + rs.getString("instance")
                                        + ")"
                                    : rs.getString("email")
                                        + " (job "
                                        + rs.getLong("job_id")
                                        + " run "
                                        + rs.getInt("run_index")
                                        + ")");
                      }
                      return 0;
                    })
                .list());
    return held;
  }
}
