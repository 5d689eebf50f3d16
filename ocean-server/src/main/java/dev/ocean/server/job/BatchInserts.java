package dev.ocean.server.job;

import dev.ocean.common.api.job.Job;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Types;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.statement.UnableToExecuteStatementException;

/**
 * The rows of a batch of admitted jobs, written a table at a time: the jobs in multi-row inserts
 * that return their ids, all their runs in one JDBC batch. A batch of 1,000 jobs inserted one by
 * one cost about 250 µs of server CPU per job, most of it JDBI's per-statement work and
 * sqlite-jdbc's extra {@code SELECT last_insert_rowid()} after each INSERT; the rows are the same.
 */
final class BatchInserts {
  /** Jobs per multi-row INSERT: 20 parameters each, well under SQLite's and PostgreSQL's limits. */
  static final int JOBS_PER_STATEMENT = 250;

  private static final String JOB_COLUMNS =
      "INSERT INTO jobs (user_id, name, machine_type, cpus, memory_gib, gpus, gpu_model,"
          + " image_name, image_ref, volume_id, volume_name, volume_path, command_json, env_json,"
          + " reason, repeat_count, parallel, state, created_at, retries, image_kind) VALUES ";
  private static final String JOB_ROW =
      "(?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 'pending', ?, ?, ?)";

  /** One checked job of the batch with what it was admitted with. */
  record Row(Job.Submit submit, JobRequest request, JobStore.Admitted admitted) {}

  private BatchInserts() {}

  /**
   * Inserts the pending jobs and their pending runs; returns the jobs' ids in the order given. The
   * ids come back from {@code RETURNING}, sorted: both databases number the rows of one INSERT in
   * the order of its VALUES, rising.
   */
  static long[] insert(Handle h, JobStore store, long userId, List<Row> rows, long now) {
    try {
      return insertRows(h.getConnection(), store, userId, rows, now);
    } catch (SQLException e) {
      throw new UnableToExecuteStatementException(e, null);
    }
  }

  private static long[] insertRows(
      Connection c, JobStore store, long userId, List<Row> rows, long now) throws SQLException {
    long[] ids = new long[rows.size()];
    for (int from = 0; from < rows.size(); from += JOBS_PER_STATEMENT) {
      int to = Math.min(rows.size(), from + JOBS_PER_STATEMENT);
      insertJobs(c, store, userId, rows.subList(from, to), now, ids, from);
    }
    try (PreparedStatement runs =
        c.prepareStatement(
            "INSERT INTO runs (job_id, run_index, state, created_at) VALUES (?, ?, 'pending', ?)")) {
      for (int i = 0; i < rows.size(); i++) {
        for (int run = 0; run < rows.get(i).request().repeat(); run++) {
          runs.setLong(1, ids[i]);
          runs.setInt(2, run);
          runs.setLong(3, now);
          runs.addBatch();
        }
      }
      runs.executeBatch();
    }
    return ids;
  }

  private static void insertJobs(
      Connection c, JobStore store, long userId, List<Row> rows, long now, long[] ids, int offset)
      throws SQLException {
    StringBuilder sql = new StringBuilder(JOB_COLUMNS.length() + rows.size() * 70);
    sql.append(JOB_COLUMNS);
    for (int i = 0; i < rows.size(); i++) {
      sql.append(i == 0 ? "" : ", ").append(JOB_ROW);
    }
    sql.append(" RETURNING id");
    try (PreparedStatement ps = c.prepareStatement(sql.toString())) {
      int p = 1;
      for (Row r : rows) {
        Job.Submit s = r.submit();
        JobRequest req = r.request();
        JobStore.Admitted a = r.admitted();
        ps.setLong(p++, userId);
        ps.setString(p++, s.name());
        ps.setString(p++, a.type().name());
        ps.setInt(p++, a.type().cpus());
        ps.setInt(p++, a.type().memoryGib());
        ps.setInt(p++, a.type().gpus());
        ps.setString(p++, a.type().gpuModel());
        ps.setString(p++, a.image().name());
        ps.setString(p++, a.image().reference());
        if (a.volumeId() == null) {
          ps.setNull(p++, Types.BIGINT);
        } else {
          ps.setLong(p++, a.volumeId());
        }
        ps.setString(p++, a.volumeId() == null ? null : s.volume());
        ps.setString(p++, a.volumePath());
        ps.setString(p++, store.json(req.command()));
        ps.setString(p++, store.json(req.env()));
        ps.setString(p++, s.reason());
        ps.setInt(p++, req.repeat());
        ps.setInt(p++, req.parallel());
        ps.setLong(p++, now);
        ps.setInt(p++, req.retries());
        ps.setString(p++, a.image().kind());
      }
      List<Long> got = new ArrayList<>(rows.size());
      try (ResultSet rs = ps.executeQuery()) {
        while (rs.next()) {
          got.add(rs.getLong(1));
        }
      }
      if (got.size() != rows.size()) {
        throw new IllegalStateException(
            "inserted " + rows.size() + " jobs but got " + got.size() + " ids back");
      }
      long[] sorted = got.stream().mapToLong(Long::longValue).toArray();
      Arrays.sort(sorted);
      System.arraycopy(sorted, 0, ids, offset, sorted.length);
    }
  }
}
