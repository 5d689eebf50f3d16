package dev.ocean.server.logs;

import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.InsufficientStorage;
import dev.ocean.server.job.Signals;
import java.io.IOException;
import java.io.RandomAccessFile;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * Run logs as files under the data directory ({@code logs/JOB/RUN.log}), or, when servers share one
 * PostgreSQL, as rows there ({@link LogChunks}) so every server reads what any server stored.
 * Agents append chunks at byte offsets: a chunk is written only from the log's current end, so a
 * retried chunk never duplicates a byte and a gap is refused. A byte, once acknowledged, is stored.
 */
public final class LogStore {
  private static final int TAIL_BLOCK = 64 * 1024;
  private static final long MAX_TAIL_SCAN = 4L * 1024 * 1024;
  private static final Set<PosixFilePermission> OWNER_ONLY_DIR =
      PosixFilePermissions.fromString("rwx------");
  private static final FileAttribute<Set<PosixFilePermission>> OWNER_READ_WRITE =
      PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------"));
  private static final Set<StandardOpenOption> APPEND_OPTIONS =
      Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);

  private final Path root;
  private final Signals signals;
  private final LogChunks chunks;
  private final LogTails tails = new LogTails();

  /** Striped locks: appends to one run serialize, without a lock object kept per run forever. */
  private final Object[] locks = new Object[64];

  /** Logs as files under {@code root}. */
  public LogStore(Path root, Signals signals) {
    this(root, signals, null);
  }

  private LogStore(Path root, Signals signals, LogChunks chunks) {
    this.root = root;
    this.signals = signals;
    this.chunks = chunks;
    for (int i = 0; i < locks.length; i++) {
      locks[i] = new Object();
    }
  }

  /** Logs in the database behind {@code jdbi} (PostgreSQL), shared by the servers using it. */
  public static LogStore inDatabase(Path root, Signals signals, org.jdbi.v3.core.Jdbi jdbi) {
    return new LogStore(root, signals, new LogChunks(jdbi));
  }

  /** Whether logs live in the database rather than under {@link #root()}. */
  public boolean inDatabase() {
    return chunks != null;
  }

  /** Whether {@code e} says the file system has no room left (ENOSPC or a quota). */
  public static boolean isDiskFull(IOException e) {
    String m = String.valueOf(e.getMessage());
    return m.contains("No space left on device") || m.contains("Disk quota exceeded");
  }

  /** The directory every run's log lives under. */
  public Path root() {
    return root;
  }

  /** Logs are users' output: directories owner-only, like the data directory above them. */
  private static void createPrivateDirectories(Path dir) throws IOException {
    if (Files.isDirectory(dir)) {
      return;
    }
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY_DIR));
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  public static String key(long jobId, int run) {
    return "log:" + jobId + "-" + run;
  }

  public Path file(long jobId, int run) {
    return root.resolve(Long.toString(jobId)).resolve(run + ".log");
  }

  public long size(long jobId, int run) {
    if (chunks != null) {
      return chunks.size(jobId, run);
    }
    try {
      Path f = file(jobId, run);
      return Files.exists(f) ? Files.size(f) : 0;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private Object lockFor(long jobId, int run) {
    return locks[Math.floorMod(Long.hashCode(jobId) * 31 + run, locks.length)];
  }

  /** Appends {@code bytes} that start at {@code offset} of the run's log; returns the new size. */
  public long append(long jobId, int run, long offset, byte[] bytes) {
    String key = key(jobId, run);
    long before = signals.version(key);
    Appended a =
        chunks != null
            ? chunks.append(jobId, run, offset, bytes)
            : appendToFile(jobId, run, offset, bytes);
    // the log's followers here take the new bytes from memory: one copy for all of them
    int from = bytes.length - a.stored();
    LogTails.Piece piece = new LogTails.Piece(offset + from, bytes, from, a.stored());
    signals.signalAfter(
        key,
        before,
        v -> {
          if (piece.len() > 0) {
            tails.appended(key, v, piece);
          }
        });
    return a.size();
  }

  /** An append's outcome: the log's new size, and how many of the chunk's last bytes were new. */
  record Appended(long size, int stored) {}

  private Appended appendToFile(long jobId, int run, long offset, byte[] bytes) {
    Object lock = lockFor(jobId, run);
    long size;
    int stored = 0;
    synchronized (lock) {
      size = size(jobId, run);
      if (offset > size) {
        throw new Conflict(
            "offset",
            "log chunk starts at byte " + offset + " but the server has only " + size,
            "Log gap");
      }
      long skip = size - offset;
      if (skip < bytes.length) {
        Path f = file(jobId, run);
        try {
          createPrivateDirectories(f.getParent());
          try (FileChannel ch = FileChannel.open(f, APPEND_OPTIONS, OWNER_READ_WRITE)) {
            ByteBuffer buf = ByteBuffer.wrap(bytes, (int) skip, bytes.length - (int) skip);
            while (buf.hasRemaining()) {
              ch.write(buf);
            }
          }
        } catch (IOException e) {
          if (isDiskFull(e)) {
            // Bytes written before the failure are a correct prefix of the chunk: the retried
            // chunk skips them, so nothing is duplicated once space returns.
            throw new InsufficientStorage(
                "the server's disk is full; log chunk at byte "
                    + offset
                    + " not stored, send it"
                    + " again later");
          }
          throw new UncheckedIOException("cannot write log of job " + jobId + " run " + run, e);
        }
        size = offset + bytes.length;
        stored = bytes.length - (int) skip;
      }
    }
    return new Appended(size, stored);
  }

  /**
   * Moves a run's log aside as {@code RUN.attempt-N.log}, so the run's next attempt starts at 0.
   */
  public void rotate(long jobId, int run, int attempt) {
    if (chunks != null) {
      chunks.rotate(jobId, run, attempt);
      tails.rotated(key(jobId, run));
      signals.signal(key(jobId, run));
      return;
    }
    Object lock = lockFor(jobId, run);
    synchronized (lock) {
      Path f = file(jobId, run);
      try {
        if (Files.exists(f)) {
          Files.move(
              f,
              f.resolveSibling(run + ".attempt-" + attempt + ".log"),
              java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        }
      } catch (IOException e) {
        throw new UncheckedIOException("cannot keep the log of job " + jobId + " run " + run, e);
      }
    }
    tails.rotated(key(jobId, run));
    signals.signal(key(jobId, run));
  }

  /**
   * Keeps the newest bytes of a run's log in memory while a follower reads it with {@link
   * #readNext}; close the result when the follower leaves.
   */
  public LogTails.Following follow(long jobId, int run) {
    return tails.follow(key(jobId, run));
  }

  /**
   * What a follower reads next: up to {@code max} bytes from {@code offset} as of wake-up version
   * {@code seen} (read before this call), from memory when another follower or the append just had
   * them; {@code atEnd} says they reach the end of the log as far as {@code seen} knows.
   */
  public LogTails.Read readNext(long jobId, int run, long offset, int max, long seen) {
    return tails.read(key(jobId, run), seen, offset, max, () -> read(jobId, run, offset, max));
  }

  /** Reads up to {@code max} bytes from {@code offset}; empty when there is nothing new. */
  public byte[] read(long jobId, int run, long offset, int max) {
    if (chunks != null) {
      return chunks.read(jobId, run, offset, max);
    }
    Path f = file(jobId, run);
    if (!Files.exists(f)) {
      return new byte[0];
    }
    try (RandomAccessFile raf = new RandomAccessFile(f.toFile(), "r")) {
      long len = raf.length();
      if (offset >= len) {
        return new byte[0];
      }
      byte[] b = new byte[(int) Math.min(max, len - offset)];
      raf.seek(offset);
      raf.readFully(b);
      return b;
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /**
   * The offset where the last {@code lines} lines start, found by reading backwards in small
   * blocks: a follower asking for the last line of a huge log reads kilobytes, not the whole log.
   */
  public long tailOffset(long jobId, int run, int lines) {
    long size = size(jobId, run);
    if (lines <= 0 || size == 0) {
      return size;
    }
    long limit = Math.max(0, size - MAX_TAIL_SCAN);
    int seen = 0;
    long end = size;
    // a final newline ends the last line; it does not start another
    byte[] last = read(jobId, run, size - 1, 1);
    if (last.length == 1 && last[0] == '\n') {
      end--;
    }
    while (end > limit) {
      long start = Math.max(limit, end - TAIL_BLOCK);
      byte[] b = read(jobId, run, start, (int) (end - start));
      for (int i = b.length - 1; i >= 0; i--) {
        if (b[i] == '\n' && ++seen == lines) {
          return start + i + 1;
        }
      }
      end = start;
    }
    return limit;
  }
}
