package dev.ocean.server.autostop;

import dev.ocean.common.api.instance.Instance.IdleOutlook;
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.server.job.JobStore;
import dev.ocean.server.node.MetricsHistory;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The idle-stop timer: judges every running instance whose machine type has an idle stop ({@link
 * IdleJudge}), stops those whose time came with reason {@code idle for N h} (the volume stays), and
 * keeps the warnings its owners get on their API calls ({@link #notices}).
 */
public final class IdleWatch {
  private static final Logger LOG = LoggerFactory.getLogger(IdleWatch.class);

  private static final String RUNNING =
      "SELECT i.id, i.user_id, i.name, i.started_at, i.extended_until, i.last_activity_at,"
          + " i.gpu_busy_at, m.idle_stop_hours, m.idle_extend_max_hours, r.node, r.gpus,"
          + " COALESCE(r.started_at, r.assigned_at, i.created_at) AS run_started_at FROM instances i JOIN jobs j ON j.id = i.job_id"
          + " JOIN machine_types m ON m.name = j.machine_type JOIN runs r ON r.job_id = i.job_id"
          + " AND r.state = 'running' AND r.cancel_requested_at IS NULL WHERE i.state ="
          + " 'running' AND i.deleted_at IS NULL AND m.idle_stop_hours IS NOT NULL";

  private final Jdbi jdbi;
  private final Clock clock;
  private final MetricsHistory history;
  private final InstanceStopper stopper;
  private volatile Map<Long, List<String>> notices = Map.of();

  public IdleWatch(Jdbi jdbi, Clock clock, MetricsHistory history, InstanceStopper stopper) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.history = history;
    this.stopper = stopper;
  }

  /** A running instance with idle stop, as stored. */
  record Row(
      long id,
      long userId,
      String name,
      Instant startedAt,
      Instant extendedUntil,
      Instant lastActivity,
      Instant gpuBusyAt,
      Duration idleStop,
      Duration extendCap,
      String node,
      List<Integer> gpus) {}

  /** Judges every running instance with idle stop; returns how many it stopped. */
  public int sweep() {
    Instant now = clock.instant();
    List<Row> rows = jdbi.withHandle(h -> h.createQuery(RUNNING).map(IdleWatch::row).list());
    Map<Long, Integer> jobs = jdbi.withHandle(IdleWatch::jobsFromInstances);
    Map<Long, List<String>> warnings = new HashMap<>();
    int stopped = 0;
    for (Row r : rows) {
      IdleJudge.Verdict v = IdleJudge.judge(signals(r, now, jobs.getOrDefault(r.id(), 0)));
      if (!Objects.equals(v.gpuBusyAt(), r.gpuBusyAt())) {
        jdbi.useHandle(
            h ->
                h.createUpdate("UPDATE instances SET gpu_busy_at = ? WHERE id = ?")
                    .bind(0, v.gpuBusyAt().toEpochMilli())
                    .bind(1, r.id())
                    .execute());
      }
      if (v.due(now)) {
        String reason = "idle for " + IdleJudge.duration(Duration.between(v.idleSince(), now));
        try {
          stopper.stop(r.id(), reason);
          stopped++;
          LOG.info("stopped instance {} of user {}: {}", r.name(), r.userId(), reason);
        } catch (RuntimeException e) {
          LOG.warn("could not stop idle instance {}; will retry", r.name(), e);
        }
      } else if (v.warn(now)) {
        warnings
            .computeIfAbsent(r.userId(), u -> new ArrayList<>())
            .add(
                "instance "
                    + r.name()
                    + " stops in "
                    + IdleJudge.duration(Duration.between(now, v.stopsAt()))
                    + " (idle); ocean instance extend "
                    + r.name());
      }
    }
    notices = Map.copyOf(warnings);
    return stopped;
  }

  /** Drops the warning about one instance until the next sweep, e.g. after it was extended. */
  void heeded(long userId, String name) {
    Map<Long, List<String>> now = new HashMap<>(notices);
    now.computeIfPresent(
        userId,
        (u, list) ->
            list.stream().filter(n -> !n.startsWith("instance " + name + " stops")).toList());
    notices = Map.copyOf(now);
  }

  /** Warnings for this user's idle instances that stop soon, as of the last sweep. */
  public List<String> notices(long userId) {
    return notices.getOrDefault(userId, List.of());
  }

  /**
   * The idle outlook of an instance for the API view; null when it is not running or its machine
   * type has no idle stop. For the instance service's {@code get} and {@code list}.
   */
  public IdleOutlook outlook(Handle h, long instanceId) {
    Instant now = clock.instant();
    Row r =
        h.createQuery(RUNNING + " AND i.id = ?")
            .bind(0, instanceId)
            .map(IdleWatch::row)
            .findOne()
            .orElse(null);
    if (r == null) {
      return null;
    }
    int jobs = jobsFromInstances(h).getOrDefault(instanceId, 0);
    IdleJudge.Verdict v = IdleJudge.judge(signals(r, now, jobs));
    return IdleJudge.outlook(v, now, r.extendedUntil(), r.extendCap());
  }

  private IdleJudge.Signals signals(Row r, Instant now, int jobsFromIt) {
    List<IdleJudge.GpuReading> readings = new ArrayList<>();
    if (!r.gpus().isEmpty()) {
      for (NodeMetrics m : history.history(r.node())) {
        for (GpuSample g : m.gpus()) {
          if (r.gpus().contains(g.index())) {
            readings.add(
                new IdleJudge.GpuReading(
                    Instant.ofEpochMilli(m.timestampMs()), g.index(), g.utilisationGpu()));
          }
        }
      }
    }
    return new IdleJudge.Signals(
        now,
        r.idleStop(),
        r.startedAt(),
        r.gpus(),
        readings,
        r.gpuBusyAt(),
        r.lastActivity(),
        jobsFromIt,
        r.extendedUntil());
  }

  private static Map<Long, Integer> jobsFromInstances(Handle h) {
    Map<Long, Integer> counts = new HashMap<>();
    h.createQuery(
            "SELECT instance_id, COUNT(*) AS n FROM jobs WHERE instance_id IS NOT NULL AND state"
                + " IN ('pending', 'running') GROUP BY instance_id")
        .map((rs, ctx) -> Map.entry(rs.getLong("instance_id"), rs.getInt("n")))
        .forEach(e -> counts.put(e.getKey(), e.getValue()));
    return counts;
  }

  private static Row row(ResultSet rs, org.jdbi.v3.core.statement.StatementContext ctx)
      throws SQLException {
    Instant instanceStart = time(rs, "started_at");
    Instant runStart = time(rs, "run_started_at");
    Instant started =
        instanceStart == null
            ? runStart
            : runStart == null || instanceStart.isAfter(runStart) ? instanceStart : runStart;
    int idleHours = rs.getInt("idle_stop_hours");
    int cap = rs.getInt("idle_extend_max_hours");
    boolean noCap = rs.wasNull() || cap == 0;
    return new Row(
        rs.getLong("id"),
        rs.getLong("user_id"),
        rs.getString("name"),
        started,
        time(rs, "extended_until"),
        time(rs, "last_activity_at"),
        time(rs, "gpu_busy_at"),
        Duration.ofHours(idleHours),
        Duration.ofHours(noCap ? idleHours : cap),
        rs.getString("node"),
        JobStore.gpus(rs.getString("gpus")));
  }

  private static Instant time(ResultSet rs, String column) throws SQLException {
    long v = rs.getLong(column);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }
}
