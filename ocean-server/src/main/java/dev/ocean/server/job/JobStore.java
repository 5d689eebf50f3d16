package dev.ocean.server.job;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.server.http.ApiException;
import dev.ocean.server.scheduler.Wait;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;

/** Reads jobs and runs from the database into their API form. */
public final class JobStore {
  private static final TypeReference<List<String>> ARGV = new TypeReference<>() {};
  private static final TypeReference<Map<String, String>> ENV = new TypeReference<>() {};

  private final ObjectMapper mapper;

  public JobStore(ObjectMapper mapper) {
    this.mapper = mapper;
  }

  /** A job row plus its owner, as the service needs it. */
  public record JobRow(long id, long userId, String machineType, int parallel, String state) {}

  public JobRow row(Handle h, long id) {
    return h.createQuery("SELECT id, user_id, machine_type, parallel, state FROM jobs WHERE id = ?")
        .bind(0, id)
        .map(
            (rs, ctx) ->
                new JobRow(
                    rs.getLong("id"),
                    rs.getLong("user_id"),
                    rs.getString("machine_type"),
                    rs.getInt("parallel"),
                    rs.getString("state")))
        .findOne()
        .orElseThrow(() -> ApiException.notFound("no job " + id));
  }

  public Job job(Handle h, long id, BiFunction<Long, Integer, Wait> waits) {
    return h.createQuery(
            "SELECT j.*, u.email FROM jobs j JOIN users u ON u.id = j.user_id WHERE j.id = ?")
        .bind(0, id)
        .map((rs, ctx) -> job(rs, runs(h, id, waits)))
        .findOne()
        .orElseThrow(() -> ApiException.notFound("no job " + id));
  }

  public List<Run> runs(Handle h, long jobId, BiFunction<Long, Integer, Wait> waits) {
    return h.createQuery("SELECT * FROM runs WHERE job_id = ? ORDER BY run_index")
        .bind(0, jobId)
        .map((rs, ctx) -> run(rs, waits))
        .list();
  }

  private Job job(ResultSet rs, List<Run> runs) throws SQLException {
    return new Job(
        rs.getLong("id"),
        rs.getString("name"),
        rs.getString("email"),
        rs.getString("machine_type"),
        rs.getString("image_name"),
        rs.getString("volume_name"),
        read(rs.getString("command_json"), ARGV),
        read(rs.getString("env_json"), ENV),
        rs.getString("reason"),
        rs.getInt("repeat_count"),
        rs.getInt("parallel"),
        rs.getString("state"),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        instant(rs, "finished_at"),
        integer(rs, "exit_code"),
        runs,
        rs.getInt("retries"));
  }

  private static Run run(ResultSet rs, BiFunction<Long, Integer, Wait> waits) throws SQLException {
    String state = rs.getString("state");
    Wait w =
        state.equals("pending") ? waits.apply(rs.getLong("job_id"), rs.getInt("run_index")) : null;
    return new Run(
        rs.getInt("run_index"),
        state,
        rs.getString("node"),
        gpus(rs.getString("gpus")),
        Instant.ofEpochMilli(rs.getLong("created_at")),
        instant(rs, "started_at"),
        instant(rs, "finished_at"),
        integer(rs, "exit_code"),
        rs.getString("reason"),
        w == null ? null : w.position(),
        w == null ? null : w.detail(),
        rs.getInt("attempt"),
        rs.getString("volume_dir"));
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
    return read(json, ENV);
  }

  static Instant instant(ResultSet rs, String col) throws SQLException {
    long v = rs.getLong(col);
    return rs.wasNull() ? null : Instant.ofEpochMilli(v);
  }

  static Integer integer(ResultSet rs, String col) throws SQLException {
    int v = rs.getInt(col);
    return rs.wasNull() ? null : v;
  }
}
