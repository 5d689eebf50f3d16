package dev.ocean.server.job;

import dev.ocean.server.metrics.ClusterMetrics;
import java.util.HashMap;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/** Queue length and job counts by state for {@code /metrics}: counts only, no user data. */
public final class JobCountsView implements ClusterMetrics.JobCounts {
  private final Jdbi jdbi;

  public JobCountsView(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  @Override
  public int queued() {
    return jdbi.withHandle(
        h ->
            h.createQuery("SELECT COUNT(*) FROM runs WHERE state = 'pending'")
                .mapTo(Integer.class)
                .one());
  }

  @Override
  public Map<String, Integer> byState() {
    Map<String, Integer> counts = new HashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery("SELECT state, COUNT(*) AS n FROM jobs WHERE kind = 'job' GROUP BY state")
                .map((rs, ctx) -> Map.entry(rs.getString("state"), rs.getInt("n")))
                .forEach(e -> counts.put(e.getKey(), e.getValue())));
    return counts;
  }
}
