package dev.ocean.server.backup;

import dev.ocean.common.files.FileTrees;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Failed;
import dev.ocean.server.error.InsufficientStorage;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.store.Database;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.Comparator;
import java.util.List;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipOutputStream;

/**
 * {@code GET /api/v1/admin/backup}: takes an online {@link Snapshot} into a scratch directory under
 * the data directory and streams it as a zip ({@code ocean admin backup --to DIR} unpacks it into a
 * directory that {@code ocean-server restore} takes).
 */
public final class BackupController {
  private static final String SCRATCH = "backups";

  private final Database database;
  private final Path dataDir;
  private final Path logsRoot;
  private final Clock clock;

  public BackupController(Database database, Path dataDir, Path logsRoot, Clock clock) {
    this.database = database;
    this.dataDir = dataDir;
    this.logsRoot = logsRoot;
    this.clock = clock;
    // a server killed while it streamed a backup leaves its scratch copy behind
    Path scratch = dataDir.resolve(SCRATCH);
    if (Files.isDirectory(scratch)) {
      deleteTree(scratch);
    }
  }

  public void download(Context ctx) throws IOException {
    if (database.dialect() != Database.Dialect.SQLITE) {
      throw new Conflict(
          "this cluster keeps its jobs and run logs in PostgreSQL, so a backup of the server"
              + " would hold none of them; back the database up with pg_dump -Fc -f ocean.dump"
              + " DBNAME instead");
    }
    // With the data directory deleted under it, the server still holds the database open: a
    // backup then rescues it, through a scratch copy outside, rather than recreate the directory.
    Path scratch =
        Files.isDirectory(dataDir)
            ? Files.createDirectories(dataDir.resolve(SCRATCH), Files700.DIR)
            : Path.of(System.getProperty("java.io.tmpdir"));
    Path target = Files.createTempDirectory(scratch, "backup-", Files700.DIR);
    try {
      Snapshot.DatabaseCopier copier =
          database.dialect() == Database.Dialect.SQLITE
              ? file -> database.jdbi().useHandle(h -> Snapshot.vacuumInto(h.getConnection(), file))
              : null;
      try {
        Snapshot.take(copier, logsRoot, target, clock);
      } catch (IOException | SQLException | BackupRefused e) {
        boolean full =
            e instanceof IOException io && LogStore.isDiskFull(io)
                || String.valueOf(e.getMessage()).contains("SQLITE_FULL");
        throw full
            ? new InsufficientStorage("the server's disk has no room for the backup's scratch copy")
            : new Failed("Backup failed", "the backup failed: " + e.getMessage());
      }
      ctx.contentType("application/zip");
      ctx.header("Content-Disposition", "attachment; filename=\"ocean-backup.zip\"");
      try (ZipOutputStream zip = new ZipOutputStream(ctx.res().getOutputStream())) {
        for (Path f : files(target)) {
          zip.putNextEntry(new ZipEntry(target.relativize(f).toString()));
          Files.copy(f, zip);
          zip.closeEntry();
        }
      }
    } finally {
      deleteTree(target);
    }
  }

  private static List<Path> files(Path dir) throws IOException {
    try (Stream<Path> all = Files.walk(dir)) {
      // the manifest goes last: an archive cut short unpacks into an unfinished backup
      return all.filter(Files::isRegularFile)
          .sorted(
              Comparator.comparing((Path p) -> p.endsWith(BackupManifest.FILE))
                  .thenComparing(Comparator.naturalOrder()))
          .toList();
    }
  }

  private static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot remove the scratch backup " + dir, e);
    }
  }
}
