package dev.ocean.server.web;

import dev.ocean.common.api.node.GpuHours;
import dev.ocean.server.error.Invalid;
import io.javalin.http.Context;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.jdbi.v3.core.Jdbi;

/**
 * {@code GET /api/v1/gpu-hours?from=ISO&to=ISO}: GPU-hours per user over a period (default the last
 * 7 days), computed from the runs that held GPUs in it, in one query. Jobs and instances count
 * alike; a run still going counts up to now.
 */
public final class GpuHoursController {
  private final Jdbi jdbi;
  private final Clock clock;

  public GpuHoursController(Jdbi jdbi, Clock clock) {
    this.jdbi = jdbi;
    this.clock = clock;
  }

  public void serve(Context ctx) {
    Instant now = clock.instant();
    Instant to = instant("to", ctx.queryParam("to"), now);
    Instant from = instant("from", ctx.queryParam("from"), to.minus(Duration.ofDays(7)));
    if (!from.isBefore(to)) {
      throw new Invalid("from", "from must be before to");
    }
    ctx.json(hours(from.toEpochMilli(), to.toEpochMilli(), now.toEpochMilli()));
  }

  /** Per user, most GPU-hours first. */
  public List<GpuHours> hours(long from, long to, long now) {
    Map<String, double[]> sums = new HashMap<>();
    jdbi.useHandle(
        h ->
            h.createQuery(
                    "SELECT u.email, r.gpus, r.started_at, r.finished_at FROM runs r JOIN jobs j ON"
                        + " j.id = r.job_id JOIN users u ON u.id = j.user_id WHERE r.started_at"
                        + " IS NOT NULL AND r.gpus IS NOT NULL AND r.gpus <> '' AND r.started_at"
                        + " < ? AND (r.finished_at IS NULL OR r.finished_at > ?)")
                .bind(0, to)
                .bind(1, from)
                .map(
                    (rs, c) -> {
                      long end = rs.getLong("finished_at");
                      end = rs.wasNull() ? now : end;
                      long span = Math.min(end, to) - Math.max(rs.getLong("started_at"), from);
                      int gpus = rs.getString("gpus").split(",").length;
                      double[] sum =
                          sums.computeIfAbsent(rs.getString("email"), k -> new double[2]);
                      sum[0] += Math.max(0, span) * gpus / 3_600_000.0;
                      sum[1]++;
                      return 0;
                    })
                .list());
    List<GpuHours> out = new ArrayList<>();
    sums.forEach(
        (user, s) -> out.add(new GpuHours(user, Math.round(s[0] * 100) / 100.0, (int) s[1])));
    out.sort(Comparator.comparingDouble(GpuHours::gpuHours).reversed());
    return out;
  }

  private static Instant instant(String field, String raw, Instant fallback) {
    if (raw == null || raw.isBlank()) {
      return fallback;
    }
    try {
      return Instant.parse(raw);
    } catch (DateTimeParseException e) {
      throw new Invalid(field, field + " must be a time like 2030-01-31T09:00:00Z");
    }
  }
}
