package dev.ocean.server.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.server.catalog.CatalogUse;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.scheduler.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.PreparedBatch;

/** The job tables' SQL: jobs and runs read into their API form, inserted and looked up. */
public final class JobStore {
  private static final TypeReference<List<String>> ARGV = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> ENV = new TypeReference<>() {};

  private final ObjectMapper mapper;
  private final Map<String, List<String>> commands = new java.util.concurrent.ConcurrentHashMap<>();

  public JobStore(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /**
   * A job row plus its owner, as the service needs it.
   *
   * @param kind {@code job}, or {@code instance} for an instance's hidden job
   */
  public record JobRow(
      long id, long userId, String machineType, int parallel, String state, String kind) {}

  public JobRow row(Handle h, long id) {
    return h.createQuery(
            "SELECT id, user_id, machine_type, parallel, state, kind FROM jobs WHERE id = ?")
        .bind(0, id)
        .map(
            (rs, ctx) ->
                new JobRow(
                    rs.getLong("id"),
                    rs.getLong("user_id"),
                    rs.getString("machine_type"),
                    rs.getInt("parallel"),
                    rs.getString("state"),
                    rs.getString("kind")))
        .findOne()
        .orElseThrow(() -> new NotFound("no job " + id));
  }

  /**
   * An active job that uses a catalogue entry and what frees it, e.g. "job 7 (running); wait for it
   * to end or cancel it first", for {@link CatalogUse}.
   */
  public Optional<String> activeUser(Handle h, CatalogUse.Kind kind, String name) {
    String column =
        switch (kind) {
          case IMAGE -> "image_name";
          case MACHINE_TYPE -> "machine_type";
        };
    return h.createQuery(
            "SELECT id, state FROM jobs WHERE "
                + column
                + " = ? AND kind = 'job' AND state IN ('pending', 'running') ORDER BY id")
        .bind(0, name)
        .map(
            (rs, ctx) ->
                "job "
                    + rs.getLong("id")
                    + " ("
                    + rs.getString("state")
                    + "); wait for it to end or cancel it first")
        .findFirst();
  }

  public Job job(Handle h, long id, BiFunction<Long, Integer, Wait> waits) {
    List<Job> one = jobs(h, "j.id = :id", Map.of("id", id), waits);
    if (one.isEmpty()) {
      throw new NotFound("no job " + id);
    }
    return one.getFirst();
  }

  /** The runs' columns {@link #run} reads, by position. */
  private static final String RUN_COLUMNS =
      "r.job_id, r.run_index, r.state, r.node, r.gpus, r.created_at, r.started_at,"
          + " r.finished_at, r.exit_code, r.reason, r.attempt, r.volume_dir";

  /** The jobs' columns {@link #job(ResultSet, List)} reads, by position. */
  private static final String JOB_COLUMNS =
      "j.id, j.name, u.email, j.machine_type, j.image_name, j.volume_name, j.command_json,"
          + " j.env_json, j.reason, j.repeat_count, j.parallel, j.state, j.created_at,"
          + " j.finished_at, j.exit_code, j.retries";

  /**
   * The jobs matching {@code where} (over {@code jobs j}), newest first, with their runs: one query
   * for the jobs and one for all their runs, however many jobs match. Columns are named and read by
   * position (a thousand jobs with three thousand runs are read in a few milliseconds).
   */
  public List<Job> jobs(
      Handle h, String where, Map<String, ?> args, BiFunction<Long, Integer, Wait> waits) {
    Map<Long, List<Run>> runs = new HashMap<>();
    h.createQuery(
            "SELECT "
                + RUN_COLUMNS
                + " FROM runs r JOIN jobs j ON j.id = r.job_id WHERE "
                + where
                + " ORDER BY r.job_id, r.run_index")
        .bindMap(args)
        .map((rs, ctx) -> Map.entry(rs.getLong(1), run(rs, waits)))
        .forEach(e -> runs.computeIfAbsent(e.getKey(), k -> new ArrayList<>()).add(e.getValue()));
    return h.createQuery(
            "SELECT "
                + JOB_COLUMNS
                + " FROM jobs j JOIN users u ON u.id = j.user_id WHERE "
                + where
                + " ORDER BY j.id DESC")
        .bindMap(args)
        .map((rs, ctx) -> job(rs, runs.getOrDefault(rs.getLong(1), List.of())))
        .list();
  }

  /** The jobs {@code filter} shows, newest first. */
  List<Job> list(Handle h, JobFilter filter, BiFunction<Long, Integer, Wait> waits) {
    return jobs(h, filter.where(), filter.args(), waits);
  }

  /**
   * The ids and versions (V90) of the jobs {@code filter} shows, newest first: two numbers a job,
   * read before anything else of them.
   */
  List<long[]> versions(Handle h, JobFilter filter) {
    return h.createQuery(
            "SELECT j.id, j.version FROM jobs j WHERE " + filter.where() + " ORDER BY j.id DESC")
        .bindMap(filter.args())
        .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
        .list();
  }

  /**
   * Inserts a pending job and its pending runs; returns the job's id. The id comes back with {@code
   * RETURNING}, not as a generated key: a statement read for generated keys is prepared anew each
   * time (sqlite-jdbc), one with RETURNING stays prepared like any query.
   */
  long insert(Handle h, long userId, Job.Submit s, JobRequest req, Admitted a, long now) {
    long jobId =
        h.createQuery(
                "INSERT INTO jobs (user_id, name, machine_type, cpus, memory_gib, gpus, gpu_model,"
                    + " image_name, image_ref, volume_id, volume_name, volume_path, command_json,"
                    + " env_json, reason, repeat_count, parallel, state, created_at, retries,"
                    + " image_kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?,"
                    + " 'pending', ?, ?, ?) RETURNING id")
            .bind(0, userId)
            .bind(1, s.name())
            .bind(2, a.type().name())
            .bind(3, a.type().cpus())
            .bind(4, a.type().memoryGib())
            .bind(5, a.type().gpus())
            .bind(6, a.type().gpuModel())
            .bind(7, a.image().name())
            .bind(8, a.image().reference())
            .bind(9, a.volumeId())
            .bind(10, a.volumeId() == null ? null : s.volume())
            .bind(11, a.volumePath())
            .bind(12, json(req.command()))
            .bind(13, json(req.env()))
            .bind(14, s.reason())
            .bind(15, req.repeat())
            .bind(16, req.parallel())
            .bind(17, now)
            .bind(18, req.retries())
            .bind(19, a.image().kind())
            .mapTo(Long.class)
            .one();
    if (req.repeat() == 1) { // most submissions: a plain statement costs less than a batch of one
      h.createUpdate(
              "INSERT INTO runs (job_id, run_index, state, created_at) VALUES (?, 0, 'pending', ?)")
          .bind(0, jobId)
          .bind(1, now)
          .execute();
      return jobId;
    }
    // One prepared statement for all runs: a job of 1,000 runs costs one round of SQL, not 1,000.
    PreparedBatch runs =
        h.prepareBatch(
            "INSERT INTO runs (job_id, run_index, state, created_at) VALUES (?, ?, 'pending', ?)");
    for (int i = 0; i < req.repeat(); i++) {
      runs.bind(0, jobId).bind(1, i).bind(2, now).add();
    }
    runs.execute();
    return jobId;
  }

  /** The job {@link #insert} stored, as a read would answer it, without reading it back. */
  static Job inserted(
      long jobId, String email, Job.Submit s, JobRequest req, Admitted a, long now) {
    Instant at = Instant.ofEpochMilli(now);
    List<Run> runs = new ArrayList<>(req.repeat());
    for (int i = 0; i < req.repeat(); i++) {
      runs.add(
          new Run(i, "pending", null, List.of(), at, null, null, null, null, null, null, 1, null));
    }
    return new Job(
        jobId,
        s.name(),
        email,
        a.type().name(),
        a.image().name(),
        a.volumeId() == null ? null : s.volume(),
        req.command(),
        req.env(),
        s.reason(),
        req.repeat(),
        req.parallel(),
        "pending",
        at,
        null,
        null,
        runs,
        req.retries());
  }

  /**
   * Inserts the hidden job of an instance (kind {@code instance}, no command, no retries) with its
   * first pending run; returns the job's id.
   */
  long insertInstanceJob(
      Handle h, long userId, String name, String reason, Admitted a, String volume, long now) {
    long jobId =
        h.createUpdate(
                "INSERT INTO jobs (user_id, name, machine_type, cpus, memory_gib, gpus, gpu_model,"
                    + " image_name, image_ref, volume_id, volume_name, volume_path, command_json,"
                    + " env_json, reason, repeat_count, parallel, state, created_at, retries,"
                    + " image_kind, kind) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, '[]', '{}',"
                    + " ?, 1, 1, 'pending', ?, 0, ?, 'instance')")
            .bind(0, userId)
            .bind(1, name)
            .bind(2, a.type().name())
            .bind(3, a.type().cpus())
            .bind(4, a.type().memoryGib())
            .bind(5, a.type().gpus())
            .bind(6, a.type().gpuModel())
            .bind(7, a.image().name())
            .bind(8, a.image().reference())
            .bind(9, a.volumeId())
            .bind(10, a.volumeId() == null ? null : volume)
            .bind(11, a.volumePath())
            .bind(12, reason)
            .bind(13, now)
            .bind(14, a.image().kind())
            .executeAndReturnGeneratedKeys("id")
            .mapTo(Long.class)
            .one();
    h.createUpdate(
            "INSERT INTO runs (job_id, run_index, state, created_at) VALUES (?, 0, 'pending', ?)")
        .bind(0, jobId)
        .bind(1, now)
        .execute();
    return jobId;
  }

  /** Appends a pending run with the next index to the job (an instance's next start). */
  int appendRun(Handle h, long jobId, long now) {
    int next =
        h.createQuery("SELECT COALESCE(MAX(run_index), -1) + 1 FROM runs WHERE job_id = ?")
            .bind(0, jobId)
            .mapTo(Integer.class)
            .one();
    h.createUpdate(
            "INSERT INTO runs (job_id, run_index, state, created_at) VALUES (?, ?, 'pending', ?)")
        .bind(0, jobId)
        .bind(1, next)
        .bind(2, now)
        .execute();
    h.createUpdate("UPDATE jobs SET repeat_count = ? WHERE id = ?")
        .bind(0, next + 1)
        .bind(1, jobId)
        .execute();
    return next;
  }

  /** What a submission was admitted with: the catalogue entries and the volume, resolved. */
  public record Admitted(MachineType type, Image image, Long volumeId, String volumePath) {}

  /** The user's active jobs of a machine type, newest first (quota reclaim order). */
  List<Long> activeJobsNewestFirst(Handle h, long userId, String machineType) {
    return h.createQuery(
            "SELECT id FROM jobs WHERE user_id = ? AND machine_type = ? AND kind = 'job' AND state"
                + " IN ('pending', 'running') ORDER BY id DESC")
        .bind(0, userId)
        .bind(1, machineType)
        .mapTo(Long.class)
        .list();
  }

  /** Every active job of the user (not instances' hidden jobs), oldest first. */
  List<Long> activeJobsOf(Handle h, long userId) {
    return h.createQuery(
            "SELECT id FROM jobs WHERE user_id = ? AND kind = 'job' AND state IN ('pending',"
                + " 'running') ORDER BY id")
        .bind(0, userId)
        .mapTo(Long.class)
        .list();
  }

  private Job job(ResultSet rs, List<Run> runs) throws SQLException {
    return new Job(
        rs.getLong(1),
        rs.getString(2),
        rs.getString(3),
        rs.getString(4),
        rs.getString(5),
        rs.getString(6),
        command(rs.getString(7)),
        env(rs.getString(8)),
        rs.getString(9),
        rs.getInt(10),
        rs.getInt(11),
        rs.getString(12),
        Instant.ofEpochMilli(rs.getLong(13)),
        instant(rs, 14),
        integer(rs, 15),
        runs,
        rs.getInt(16));
  }

  /** Reads a stored command; the same command text (a job submitted many times) is parsed once. */
  private List<String> command(String json) {
    List<String> known = commands.get(json);
    if (known != null) {
      return known;
    }
    List<String> parsed = java.util.Collections.unmodifiableList(read(json, ARGV));
    if (json.length() <= 1024) {
      if (commands.size() >= 1024) {
        commands.clear();
      }
      commands.put(json, parsed);
    }
    return parsed;
  }

  /** Reads the position-numbered run columns of {@link #RUN_COLUMNS}. */
  private static Run run(ResultSet rs, BiFunction<Long, Integer, Wait> waits) throws SQLException {
    String state = rs.getString(3);
    Wait w = state.equals("pending") ? waits.apply(rs.getLong(1), rs.getInt(2)) : null;
    return new Run(
        rs.getInt(2),
        state,
        rs.getString(4),
        gpus(rs.getString(5)),
        Instant.ofEpochMilli(rs.getLong(6)),
        instant(rs, 7),
        instant(rs, 8),
        integer(rs, 9),
        rs.getString(10),
        w == null ? null : w.position(),
        w == null ? null : w.detail(),
        rs.getInt(11),
        rs.getString(12));
  }

  public static List<Integer> gpus(String text) {
    if (text == null || text.isEmpty()) {
      return List.of();
    }
    return Arrays.stream(text.split(",")).map(Integer::valueOf).toList();
  }

  public static String gpus(List<Integer> gpus) {
    return String.join(",", gpus.stream().map(String::valueOf).toList());
  }

  public String json(Object value) {
    try {
      return mapper.writeValueAsString(value);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public <T> T read(String json, TypeReference<T> type) {
    try {
      return mapper.readValue(json, type);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  public List<String> argv(String json) {
    return read(json, ARGV);
  }

  public Map<String, String> env(String json) {
    // most jobs set no variables: no parser for those
    return json.equals("{}") ? Map.of() : read(json, ENV);
  }

  static Instant instant(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  static Integer integer(ResultSet rs, String col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? null : v;
  }

  private static Instant instant(ResultSet rs, int col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  private static Integer integer(ResultSet rs, int col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? null : v;
  }
}
