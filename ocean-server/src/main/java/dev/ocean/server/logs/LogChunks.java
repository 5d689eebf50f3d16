package dev.ocean.server.logs;

import dev.ocean.server.error.Conflict;
import java.io.ByteArrayOutputStream;
import java.util.List;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Run logs as rows of PostgreSQL ({@code log_chunks}), shared by every server of a cluster. An
 * append reads where the log ends and inserts only the bytes past that end, in one statement: a
 * retried chunk never duplicates a byte, a gap is refused, and a byte acknowledged is committed.
 */
final class LogChunks {
  private static final int ROWS_PER_READ = 64;

  private final Jdbi jdbi;

  LogChunks(Jdbi jdbi) {
    this.jdbi = jdbi;
  }

  long size(long jobId, int run) {
    return jdbi.withHandle(h -> size(h, jobId, run));
  }

  private static long size(Handle h, long jobId, int run) {
    return h.createQuery(
            "SELECT start_offset + octet_length(data) FROM log_chunks WHERE job_id = ? AND"
                + " run_index = ? AND part = 0 ORDER BY start_offset DESC LIMIT 1")
        .bind(0, jobId)
        .bind(1, run)
        .mapTo(Long.class)
        .findOne()
        .orElse(0L);
  }

  /**
   * One statement, committed on its own (one round trip, one commit): it reads where the log ends
   * and inserts the chunk's bytes past that end there. Two appends that read the same end collide
   * on the primary key (a chunk starts at that end); the loser reads the end again and retries.
   */
  private static final String APPEND =
      "WITH s AS (SELECT COALESCE((SELECT start_offset + octet_length(data) FROM log_chunks"
          + " WHERE job_id = :job AND run_index = :run AND part = 0 ORDER BY start_offset DESC"
          + " LIMIT 1), 0) AS size), ins AS (INSERT INTO log_chunks (job_id, run_index, part,"
          + " start_offset, data) SELECT :job, :run, 0, size, substring(:data FROM (size - :offset"
          + " + 1)::int) FROM s WHERE :offset <= size AND size < :offset + :len RETURNING 1)"
          + " SELECT size FROM s";

  private static final int APPEND_TRIES = 20;

  LogStore.Appended append(long jobId, int run, long offset, byte[] bytes) {
    for (int attempt = 1; ; attempt++) {
      long size;
      try {
        size =
            jdbi.withHandle(
                h ->
                    h.createQuery(APPEND)
                        .bind("job", jobId)
                        .bind("run", run)
                        .bind("offset", offset)
                        .bind("len", (long) bytes.length)
                        .bind("data", bytes)
                        .mapTo(Long.class)
                        .one());
      } catch (org.jdbi.v3.core.statement.UnableToExecuteStatementException e) {
        if (attempt < APPEND_TRIES && isDuplicateKey(e)) {
          continue; // another append stored a chunk at the same end first
        }
        throw e;
      }
      if (offset > size) {
        throw new Conflict(
            "offset",
            "log chunk starts at byte " + offset + " but the server has only " + size,
            "Log gap");
      }
      long skip = size - offset;
      if (skip >= bytes.length) {
        return new LogStore.Appended(size, 0);
      }
      return new LogStore.Appended(offset + bytes.length, bytes.length - (int) skip);
    }
  }

  private static boolean isDuplicateKey(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof java.sql.SQLException sql && "23505".equals(sql.getSQLState())) {
        return true;
      }
    }
    return false;
  }

  void rotate(long jobId, int run, int attempt) {
    jdbi.useTransaction(
        h -> {
          h.createUpdate("DELETE FROM log_chunks WHERE job_id = ? AND run_index = ? AND part = ?")
              .bind(0, jobId)
              .bind(1, run)
              .bind(2, attempt + 1)
              .execute();
          h.createUpdate(
                  "UPDATE log_chunks SET part = ? WHERE job_id = ? AND run_index = ? AND part = 0")
              .bind(0, attempt + 1)
              .bind(1, jobId)
              .bind(2, run)
              .execute();
        });
  }

  /**
   * Reads up to {@code max} bytes from {@code offset}, fewer only where the log ends (followers
   * take a short read for the end of the log as it was): page after page of at most {@link
   * #ROWS_PER_READ} chunks, each page first which chunks cover the bytes (offsets and lengths
   * only), then the data of just those chunks.
   */
  byte[] read(long jobId, int run, long offset, int max) {
    return jdbi.withHandle(
        h -> {
          ByteArrayOutputStream out = new ByteArrayOutputStream();
          while (out.size() < max && readPage(h, jobId, run, offset + out.size(), max, out)) {
            // a full page that did not reach max: the log may go on past it
          }
          return out.toByteArray();
        });
  }

  /**
   * Appends to {@code out} the bytes from {@code offset} that one page of chunks holds, up to
   * {@code max} in all; whether the page was full, so that more chunks may follow.
   */
  private static boolean readPage(
      Handle h, long jobId, int run, long offset, int max, ByteArrayOutputStream out) {
    int before = out.size();
    long want = offset + (max - before); // where this page may stop
    List<long[]> spans =
        h.createQuery(
                "SELECT start_offset, octet_length(data) FROM log_chunks WHERE job_id = :job AND"
                    + " run_index = :run AND part = 0 AND start_offset >= COALESCE((SELECT"
                    + " MAX(start_offset) FROM log_chunks WHERE job_id = :job AND run_index = :run"
                    + " AND part = 0 AND start_offset <= :offset), 0) ORDER BY start_offset LIMIT "
                    + ROWS_PER_READ)
            .bind("job", jobId)
            .bind("run", run)
            .bind("offset", offset)
            .map((rs, ctx) -> new long[] {rs.getLong(1), rs.getLong(2)})
            .list();
    long first = -1;
    long last = -1;
    for (long[] span : spans) {
      if (span[0] + span[1] <= offset) {
        continue;
      }
      if (first < 0) {
        first = span[0];
      }
      last = span[0];
      if (span[0] + span[1] >= want) {
        break;
      }
    }
    if (first < 0) {
      return false;
    }
    h.createQuery(
            "SELECT start_offset, data FROM log_chunks WHERE job_id = ? AND run_index = ? AND"
                + " part = 0 AND start_offset BETWEEN ? AND ? ORDER BY start_offset")
        .bind(0, jobId)
        .bind(1, run)
        .bind(2, first)
        .bind(3, last)
        .map(
            (rs, ctx) -> {
              long start = rs.getLong(1);
              byte[] data = rs.getBytes(2);
              long from = offset + (out.size() - before);
              if (out.size() < max && start <= from && start + data.length > from) {
                int skip = (int) (from - start);
                out.write(data, skip, Math.min(data.length - skip, max - out.size()));
              }
              return start;
            })
        .list();
    return spans.size() == ROWS_PER_READ && out.size() > before;
  }
}
