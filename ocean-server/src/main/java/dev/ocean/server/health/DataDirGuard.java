package dev.ocean.server.health;

import dev.ocean.server.logs.LogStore;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.Objects;
import java.util.Optional;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Watches the data directory the server was started on. Deleting it (or the SQLite file) under a
 * running server would otherwise go unnoticed: SQLite keeps writing into the unlinked file and
 * every acknowledged job is gone at the next start. Each {@link #check()} compares the directory's
 * and the database file's identity (device and inode) with those seen at start and writes a probe
 * file; while anything is wrong, {@link #failure()} says what, so the server refuses writes and
 * reports itself unhealthy instead of acknowledging what it cannot keep.
 */
public final class DataDirGuard {
  private static final Logger LOG = LoggerFactory.getLogger(DataDirGuard.class);
  private static final String PROBE = ".ocean-write-probe";
  private static final long REMIND_NANOS = 60_000_000_000L;

  private final Path dataDir;
  private final Path dbFile;
  private final Object dataDirKey;
  private final Object dbFileKey;
  private final Supplier<String> database;
  private volatile String failure;
  private volatile String databaseFailure;
  private long loggedAt;

  /**
   * Remembers what {@code dataDir} and {@code dbFile} (null when the database is not a file in it)
   * are now; both must exist.
   */
  public DataDirGuard(Path dataDir, Path dbFile) throws IOException {
    this(dataDir, dbFile, () -> null);
  }

  /**
   * Like {@link #DataDirGuard(Path, Path)}, also asking {@code database} (a {@link DatabaseProbe}
   * for PostgreSQL) at each check whether the database answers.
   */
  public DataDirGuard(Path dataDir, Path dbFile, Supplier<String> database) throws IOException {
    this.database = database;
    this.dataDir = dataDir.toAbsolutePath();
    this.dbFile = dbFile == null ? null : dbFile.toAbsolutePath();
    this.dataDirKey = key(this.dataDir);
    this.dbFileKey = dbFile == null ? null : key(this.dbFile);
  }

  /** Why the server cannot keep what it is given right now; empty while all is well. */
  public Optional<String> failure() {
    return Optional.ofNullable(failure);
  }

  /**
   * Why no request can be answered right now (the database does not answer); empty while it does.
   */
  public Optional<String> databaseFailure() {
    return Optional.ofNullable(databaseFailure);
  }

  /** Looks at the data directory now; logs loudly when it turns bad and when it recovers. */
  public synchronized void check() {
    String db = database.get();
    databaseFailure = db;
    String now = db != null ? db : diagnose();
    String before = failure;
    failure = now;
    boolean remind = System.nanoTime() - loggedAt > REMIND_NANOS;
    if (now != null && (!now.equals(before) || remind)) {
      loggedAt = System.nanoTime();
      LOG.error(
          "DATA AT RISK: {}. The server refuses every change and /api/v1/health fails until this"
              + " is fixed.",
          now);
    } else if (now == null && before != null) {
      LOG.warn(
          "{}; accepting changes again",
          before.startsWith("the database")
              ? "the database answers again"
              : "the data directory " + dataDir + " is writable again");
    }
  }

  private String diagnose() {
    try {
      if (!Objects.equals(dataDirKey, key(dataDir))) {
        return "the data directory "
            + dataDir
            + " was replaced while the server ran; restart the server on the right one";
      }
    } catch (IOException e) {
      return "the data directory " + dataDir + gone(e);
    }
    if (dbFile != null) {
      try {
        if (!Objects.equals(dbFileKey, key(dbFile))) {
          return "the database file " + dbFile + " was replaced while the server ran";
        }
      } catch (IOException e) {
        return "the database file " + dbFile + gone(e);
      }
    }
    return probe();
  }

  /** Writes and syncs a small file, as appending a log or a database page would. */
  private String probe() {
    Path probe = dataDir.resolve(PROBE);
    try {
      try (FileChannel ch =
          FileChannel.open(
              probe,
              StandardOpenOption.CREATE,
              StandardOpenOption.WRITE,
              StandardOpenOption.TRUNCATE_EXISTING)) {
        ByteBuffer b = ByteBuffer.wrap("ocean\n".repeat(700).getBytes(StandardCharsets.US_ASCII));
        while (b.hasRemaining()) {
          ch.write(b);
        }
        ch.force(true);
      }
      Files.deleteIfExists(probe);
      return null;
    } catch (IOException e) {
      try {
        Files.deleteIfExists(probe);
      } catch (IOException ignored) {
        // the probe is reported below; a leftover probe file is harmless
      }
      if (LogStore.isDiskFull(e)) {
        return "the disk of the data directory " + dataDir + " is full";
      }
      return "the data directory " + dataDir + " is not writable (" + describe(e) + ")";
    }
  }

  private static String gone(IOException e) {
    return e instanceof NoSuchFileException
        ? " is gone; restart the server after restoring it (or rescue it: ocean admin backup)"
        : " cannot be read (" + e + ")";
  }

  private static String describe(IOException e) {
    return e instanceof NoSuchFileException ? "no such file " + e.getMessage() : e.toString();
  }

  private static Object key(Path p) throws IOException {
    BasicFileAttributes a =
        Files.readAttributes(p, BasicFileAttributes.class, LinkOption.NOFOLLOW_LINKS);
    return a.fileKey() != null ? a.fileKey() : a.creationTime();
  }
}
