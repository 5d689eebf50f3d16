package dev.ocean.server.job;

import com.fasterxml.jackson.core.JsonFactory;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import dev.ocean.server.scheduler.Wait;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.BiFunction;
import org.jdbi.v3.core.Handle;

/**
 * {@code GET /jobs} as JSON, put together from each job's own JSON as an earlier answer wrote it,
 * for as long as that job is unchanged: its version (V90; the database changes it with every change
 * to the job or one of its runs, whichever statement or server makes it) and the waits of its
 * pending runs (the scheduler's, in memory) are the ones the JSON was written with. A list of a
 * thousand unchanged jobs then reads two numbers a job instead of every column of the job and its
 * runs, and copies their bytes instead of writing them again. The answer is byte for byte the one
 * {@link JobJson#writeArray} writes for the same jobs.
 */
final class JobListing {
  /** The most JSON kept, over all jobs; past it, the kept JSON is dropped and written again. */
  static final long MAX_BYTES = 16L << 20;

  /** Up to this many jobs to write again are read by id; more, with the list's own filter. */
  private static final int MAX_BY_ID = 500;

  private final JobStore store;
  private final WaitBoard waits;
  private final ReadSnapshot snapshots;
  private final Map<Long, Written> written = new ConcurrentHashMap<>();
  private long bytes; // guarded by this

  JobListing(JobStore store, WaitBoard waits, ReadSnapshot snapshots) {
    this.store = store;
    this.waits = waits;
    this.snapshots = snapshots;
  }

  /**
   * Writes the jobs {@code filter} shows, newest first, as one JSON array (UTF-8) to {@code out}:
   * read in one snapshot, so runs and jobs come from one moment, and written after it, so a slow
   * reader holds no transaction open.
   */
  void write(JobFilter filter, JsonFactory factory, OutputStream out) throws IOException {
    List<byte[]> jsons =
        snapshots.read(
            h -> {
              try {
                return read(h, filter, factory);
              } catch (IOException e) {
                throw new UncheckedIOException(e);
              }
            });
    writeArray(jsons, out);
  }

  /** The JSON of each job {@code filter} shows, newest first, read with {@code h}. */
  private List<byte[]> read(Handle h, JobFilter filter, JsonFactory factory) throws IOException {
    // The versions first: JSON read after them is at least as new, so a kept JSON labelled with
    // them can only ever be served while the job still has that version.
    List<long[]> versions = store.versions(h, filter);
    List<Long> stale = new ArrayList<>();
    for (long[] v : versions) {
      Written w = written.get(v[0]);
      if (w == null || !w.holds(v[1], waits)) {
        stale.add(v[0]);
      }
    }
    if (!stale.isEmpty()) {
      writeAgain(h, filter, stale, versions, factory);
    }
    List<byte[]> jsons = new ArrayList<>(versions.size());
    for (long[] v : versions) {
      Written w = written.get(v[0]);
      if (w == null) { // dropped for space between the two steps: write it for this answer only
        w = written(v[0], v[1], store.job(h, v[0], waits::get), factory, new HashMap<>());
      }
      jsons.add(w.json());
    }
    return jsons;
  }

  private static void writeArray(List<byte[]> jsons, OutputStream out) throws IOException {
    out.write('[');
    for (int i = 0; i < jsons.size(); i++) {
      if (i > 0) {
        out.write(',');
      }
      out.write(jsons.get(i));
    }
    out.write(']');
  }

  private void writeAgain(
      Handle h, JobFilter filter, List<Long> stale, List<long[]> versions, JsonFactory factory)
      throws IOException {
    Map<Long, Long> versionOf = new HashMap<>(versions.size() * 4 / 3 + 1);
    for (long[] v : versions) {
      versionOf.put(v[0], v[1]);
    }
    Map<Long, Map<Integer, Wait>> seen = new HashMap<>();
    BiFunction<Long, Integer, Wait> recording =
        (job, run) -> {
          Wait w = waits.get(job, run);
          seen.computeIfAbsent(job, k -> new HashMap<>()).put(run, w);
          return w;
        };
    List<Job> jobs =
        stale.size() <= MAX_BY_ID ? byId(h, stale, recording) : store.list(h, filter, recording);
    List<Written> fresh = new ArrayList<>(jobs.size());
    for (Job job : jobs) {
      Long version = versionOf.get(job.id());
      if (version != null) { // one that matched after the versions were read waits for the next
        fresh.add(written(job.id(), version, job, factory, seen.getOrDefault(job.id(), Map.of())));
      }
    }
    keep(fresh);
  }

  /**
   * The jobs of {@code ids}, read with one of a few statements (the list padded to a power of two
   * with its last id), so that the prepared statements kept per connection are not crowded out.
   */
  private List<Job> byId(Handle h, List<Long> ids, BiFunction<Long, Integer, Wait> waits) {
    int size = Integer.highestOneBit(Math.max(1, ids.size() - 1)) << 1;
    if (ids.size() == 1) {
      size = 1;
    }
    StringBuilder where = new StringBuilder("j.id IN (");
    Map<String, Object> args = new HashMap<>(size * 4 / 3 + 1);
    for (int i = 0; i < size; i++) {
      where.append(i == 0 ? ":i0" : ", :i" + i);
      args.put("i" + i, ids.get(Math.min(i, ids.size() - 1)));
    }
    return store.jobs(h, where.append(')').toString(), args, waits);
  }

  private static Written written(
      long id, long version, Job job, JsonFactory factory, Map<Integer, Wait> seen)
      throws IOException {
    var out = new ByteArrayOutputStream(512);
    JobJson.writeOne(factory, out, job);
    List<Run> pending = job.runs().stream().filter(r -> r.state().equals("pending")).toList();
    int[] runs = new int[pending.size()];
    Wait[] waited = new Wait[pending.size()];
    for (int i = 0; i < runs.length; i++) {
      runs[i] = pending.get(i).index();
      waited[i] = seen.get(runs[i]);
    }
    return new Written(id, version, out.toByteArray(), runs, waited);
  }

  private synchronized void keep(List<Written> fresh) {
    for (Written w : fresh) {
      Written old = written.put(w.id(), w);
      bytes += w.json().length - (old == null ? 0 : old.json().length);
    }
    if (bytes > MAX_BYTES) {
      written.clear();
      bytes = 0;
      for (Written w : fresh) { // this answer's own jobs stay
        written.put(w.id(), w);
        bytes += w.json().length;
      }
    }
  }

  /** How many jobs' JSON is kept (for tests). */
  int kept() {
    return written.size();
  }

  /**
   * One job's JSON as written at {@code version}, with the waits its pending runs showed (null
   * where a run had none).
   */
  private record Written(long id, long version, byte[] json, int[] pendingRuns, Wait[] waits) {
    boolean holds(long current, WaitBoard board) {
      if (current != version) {
        return false;
      }
      for (int i = 0; i < pendingRuns.length; i++) {
        if (!Objects.equals(board.get(id, pendingRuns[i]), waits[i])) {
          return false;
        }
      }
      return true;
    }
  }
}
