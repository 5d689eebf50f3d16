package dev.ocean.server.job;

import dev.ocean.server.error.Check;
import dev.ocean.server.error.Gone;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.logs.LogTails;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.OutputStream;
import java.util.function.BooleanSupplier;
import org.jdbi.v3.core.Jdbi;

/**
 * Serves one run's log to a user as plain text: from byte {@code offset} (default 0) or the last
 * {@code tail} lines; with {@code follow=true} it streams until the run ends. Job logs and instance
 * logs share it, so both resume and follow alike. A log that holds fewer bytes than the run's end
 * recorded ({@code runs.log_bytes}) was lost, and is answered 410 rather than as an empty log.
 */
public final class RunLogs {
  /**
   * Most bytes sent to a follower per read of the log: one agent chunk, so a follower catching up
   * on PostgreSQL fetches each stored chunk once rather than once per quarter.
   */
  private static final int READ = 1024 * 1024;

  private final LogStore logs;
  private final Signals signals;
  private final Jdbi jdbi;

  public RunLogs(LogStore logs, Signals signals, Jdbi jdbi) {
    this.logs = logs;
    this.signals = signals;
    this.jdbi = jdbi;
  }

  /** Streams the log of run {@code run} of job {@code id}; {@code ended} says the run is over. */
  public void stream(Context ctx, long id, int run, BooleanSupplier ended)
      throws IOException, InterruptedException {
    boolean follow = "true".equalsIgnoreCase(ctx.queryParam("follow"));
    String tail = ctx.queryParam("tail");
    String offset = ctx.queryParam("offset");
    long pos = 0;
    if (tail != null) {
      // More lines than an int holds is "all of them", not a wrapped-around count.
      long lines = Check.pathId("tail", tail);
      pos = logs.tailOffset(id, run, (int) Math.min(lines, Integer.MAX_VALUE));
    } else if (offset != null) {
      pos = Check.pathId("offset", offset); // a client resuming a broken stream
      if (pos < 0) {
        throw new Invalid("offset", "offset must not be negative");
      }
    }
    requireKept(id, run);
    ctx.contentType("text/plain; charset=utf-8");
    ctx.header("Cache-Control", "no-cache");
    ctx.header("X-Accel-Buffering", "no");
    OutputStream out = ctx.res().getOutputStream();
    // The agent ships a run's whole log before it reports the end, so once the run has ended
    // one more read finds every byte; stopping on the first empty read could miss the last ones.
    boolean over = !follow;
    String key = LogStore.key(id, run);
    try (LogTails.Following held = follow ? logs.follow(id, run) : null) {
      stream(out, id, run, pos, key, over, ended);
    }
  }

  /** Refuses a log that lost bytes the run's end recorded: an empty answer would read as none. */
  private void requireKept(long id, int run) {
    Lost lost = lost(id, run);
    if (lost != null) {
      throw new Gone("Log lost", lost.detail(id, run));
    }
  }

  /** How much of a run's log its store lost: what the run's end recorded and what is held now. */
  public record Lost(long recorded, long held) {
    String detail(long id, int run) {
      return "the log of run "
          + id
          + "/"
          + run
          + " ("
          + recorded
          + " bytes) was lost: the server's log store now holds "
          + (held == 0 ? "none of it" : "only " + held + " bytes of it")
          + " (restored from a backup without logs, or deleted on the server)";
    }
  }

  /**
   * What the run's log lost, or null when it holds every byte its end recorded (or the size is not
   * known: the run goes on, or ended before sizes were kept).
   */
  public Lost lost(long id, int run) {
    long recorded =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT log_bytes FROM runs WHERE job_id = ? AND run_index = ?")
                    .bind(0, id)
                    .bind(1, run)
                    .map(
                        (rs, c) -> {
                          long v = rs.getLong(1);
                          return rs.wasNull() ? -1L : v;
                        })
                    .findOne()
                    .orElse(-1L));
    if (recorded <= 0) {
      return null;
    }
    long held = logs.size(id, run);
    return held < recorded ? new Lost(recorded, held) : null;
  }

  private void stream(
      OutputStream out, long id, int run, long pos, String key, boolean over, BooleanSupplier ended)
      throws IOException, InterruptedException {
    while (true) {
      long seen = signals.version(key);
      LogTails.Read chunk = logs.readNext(id, run, pos, READ, seen);
      if (chunk.len() > 0) {
        out.write(chunk.array(), chunk.off(), chunk.len());
        out.flush();
        pos += chunk.len();
        if (!over && chunk.atEnd()) {
          // Caught up with the log as it was at version `seen`: every later append and the run's
          // end signal the key, so wait for that rather than ask the database whether the run
          // ended after each line (100 followers of a chatty run made that 100 queries a line).
          signals.await(key, seen, 1000);
        }
        continue;
      }
      if (over) {
        break;
      }
      over = ended.getAsBoolean();
      if (!over) {
        signals.await(key, seen, 1000);
      }
    }
    out.flush();
  }
}
