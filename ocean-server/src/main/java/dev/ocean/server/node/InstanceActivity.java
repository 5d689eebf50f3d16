package dev.ocean.server.node;

import dev.ocean.common.api.agent.RunId;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.Update;

/**
 * Direct connections an agent saw: the instance runs whose container network counters moved since
 * its previous heartbeat ({@code Heartbeat.activeRuns}). Each such instance counts as used now,
 * which keeps it from idle stop like traffic through the server's tunnel does. Only runs running on
 * the reporting node count, so an agent cannot keep another node's instances alive.
 */
final class InstanceActivity {
  private InstanceActivity() {}

  /** Sets {@code last_activity_at} of those instances to {@code now}: one statement. */
  static int touch(Handle h, String node, List<RunId> runs, long now) {
    StringBuilder match = new StringBuilder();
    for (int i = 0; i < runs.size(); i++) {
      match.append(i == 0 ? "" : " OR ");
      match.append("(r.job_id = ? AND r.run_index = ? AND (? = 0 OR r.attempt = ?))");
    }
    Update update =
        h.createUpdate(
            "UPDATE instances SET last_activity_at = ? WHERE deleted_at IS NULL AND state ="
                + " 'running' AND job_id IN (SELECT r.job_id FROM runs r WHERE r.node = ? AND"
                + " r.state = 'running' AND ("
                + match
                + "))");
    int at = 0;
    update.bind(at++, now).bind(at++, node);
    for (RunId run : runs) {
      update
          .bind(at++, run.jobId())
          .bind(at++, run.run())
          .bind(at++, run.attempt())
          .bind(at++, run.attempt());
    }
    return update.execute();
  }
}
