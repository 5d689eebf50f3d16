package dev.ocean.server.backup;

import dev.ocean.common.Version;
import dev.ocean.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Clock;
import java.util.HashSet;
import java.util.Set;
import org.sqlite.SQLiteConfig;

/**
 * Takes a consistent backup of a running server's data: the SQLite database through SQLite's online
 * {@code VACUUM INTO} (a read transaction, so the server keeps writing meanwhile), then the run
 * logs of the jobs in that snapshot. Logs are append-only and copied after the snapshot, so every
 * byte acknowledged before it is in the backup; a log can only hold more, and an agent ships from
 * the restored server's size on. Logs of jobs newer than the snapshot are left out, so a restored
 * server never gives their ids and files to other jobs.
 */
public final class Snapshot {
  /** Copies the live database into a file; {@code VACUUM INTO} for SQLite. */
  @FunctionalInterface
  public interface DatabaseCopier {
    void copyInto(Path file) throws IOException, SQLException;
  }

  private Snapshot() {}

  /**
   * Backs up into {@code target} (created; it must be missing or empty): the database through
   * {@code copier} (null when the database is PostgreSQL) and the logs under {@code logsRoot}.
   */
  public static BackupManifest take(DatabaseCopier copier, Path logsRoot, Path target, Clock clock)
      throws IOException, SQLException, BackupRefused {
    BackupRefused.requireEmpty(target, "back up");
    Files.createDirectories(target, Files700.DIR);
    long takenAt = clock.millis();
    Set<Long> jobs = null;
    int lost = 0;
    if (copier != null) {
      Path db = target.resolve(BackupManifest.DATABASE_FILE);
      copier.copyInto(db);
      Files.setPosixFilePermissions(db, PosixFilePermissions.fromString("rw-------"));
      jobs = jobIds(db);
      // a rescue of a deleted data directory saves the database but no log (qa8 Q6); a logs
      // directory alone may be missing because no run has printed yet
      Path dataDir = logsRoot.toAbsolutePath().getParent();
      lost = dataDir == null || Files.isDirectory(dataDir) ? 0 : startedRuns(db);
    }
    long bytes = copyLogs(logsRoot, target.resolve(BackupManifest.LOGS), jobs);
    BackupManifest manifest =
        new BackupManifest(
            BackupManifest.FORMAT,
            Version.VERSION,
            takenAt,
            copier != null ? "sqlite" : "postgresql",
            jobs == null ? 0 : jobs.size(),
            bytes,
            lost);
    Path tmp = target.resolve(BackupManifest.FILE + ".tmp");
    Files.write(tmp, Json.newMapper().writerWithDefaultPrettyPrinter().writeValueAsBytes(manifest));
    Files.move(tmp, target.resolve(BackupManifest.FILE));
    return manifest;
  }

  /** {@code VACUUM INTO} over a connection of its own: for a server running elsewhere. */
  public static DatabaseCopier sqliteFile(Path dbFile) {
    return target -> {
      SQLiteConfig config = new SQLiteConfig();
      config.setBusyTimeout(30_000);
      try (Connection c =
          DriverManager.getConnection(
              "jdbc:sqlite:" + dbFile.toAbsolutePath(), config.toProperties())) {
        vacuumInto(c, target);
      }
    };
  }

  /** Writes a compact, consistent copy of the database {@code c} is connected to. */
  public static void vacuumInto(Connection c, Path target) throws SQLException {
    try (var ps = c.prepareStatement("VACUUM INTO ?")) {
      ps.setString(1, target.toAbsolutePath().toString());
      ps.execute();
    }
  }

  private static Set<Long> jobIds(Path db) throws SQLException {
    Set<Long> ids = new HashSet<>();
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT id FROM jobs")) {
      while (rs.next()) {
        ids.add(rs.getLong(1));
      }
    }
    return ids;
  }

  private static int startedRuns(Path db) throws SQLException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("SELECT COUNT(*) FROM runs WHERE started_at IS NOT NULL")) {
      return rs.next() ? rs.getInt(1) : 0;
    }
  }

  /** Copies {@code logs/JOB/*} for the jobs in {@code jobs} (all when null); returns the bytes. */
  static long copyLogs(Path from, Path to, Set<Long> jobs) throws IOException {
    Files.createDirectories(to, Files700.DIR);
    if (!Files.isDirectory(from)) {
      return 0;
    }
    long bytes = 0;
    try (DirectoryStream<Path> dirs = Files.newDirectoryStream(from)) {
      for (Path jobDir : dirs) {
        String name = jobDir.getFileName().toString();
        if (!Files.isDirectory(jobDir) || !name.matches("[0-9]{1,18}")) {
          continue;
        }
        if (jobs != null && !jobs.contains(Long.parseLong(name))) {
          continue;
        }
        Path dest = Files.createDirectories(to.resolve(name), Files700.DIR);
        try (DirectoryStream<Path> files = Files.newDirectoryStream(jobDir, "*.log")) {
          for (Path f : files) {
            bytes += copyPrefix(f, dest.resolve(f.getFileName().toString()));
          }
        }
      }
    }
    return bytes;
  }

  /** Copies the bytes {@code from} holds now; appends that land meanwhile are not needed. */
  private static long copyPrefix(Path from, Path to) throws IOException {
    long size = Files.size(from);
    try (InputStream in = Files.newInputStream(from);
        OutputStream out = Files700.create(to)) {
      byte[] buf = new byte[64 * 1024];
      long left = size;
      while (left > 0) {
        int n = in.read(buf, 0, (int) Math.min(buf.length, left));
        if (n < 0) {
          break;
        }
        out.write(buf, 0, n);
        left -= n;
      }
      return size - left;
    }
  }
}
