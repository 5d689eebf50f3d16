package dev.ocean.server.backup;

import dev.ocean.common.json.Json;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;

/**
 * Turns a backup directory into a new data directory. It never writes into a directory that holds
 * anything (a live server's, or another restore's), and checks the database copy before it is used.
 */
public final class Restore {
  private Restore() {}

  /** Reads and checks the manifest of the backup in {@code from}. */
  public static BackupManifest manifest(Path from) throws BackupRefused, IOException {
    Path file = from.resolve(BackupManifest.FILE);
    if (!Files.isRegularFile(file)) {
      throw new BackupRefused(
          from + " is not a finished Ocean backup (it has no " + BackupManifest.FILE + ")");
    }
    BackupManifest m = Json.newMapper().readValue(file.toFile(), BackupManifest.class);
    if (m.format() != BackupManifest.FORMAT) {
      throw new BackupRefused("the backup in " + from + " has format " + m.format() + ", not 1");
    }
    if (m.database().equals("sqlite")
        && !Files.isRegularFile(from.resolve(BackupManifest.DATABASE_FILE))) {
      throw new BackupRefused(
          "the backup in " + from + " lacks its database " + BackupManifest.DATABASE_FILE);
    }
    return m;
  }

  /** Restores {@code from} into {@code data}, which must not exist or be empty. */
  public static BackupManifest into(Path from, Path data) throws BackupRefused, IOException {
    BackupManifest m = manifest(from);
    BackupRefused.requireEmpty(data, "restore a data directory");
    Files.createDirectories(data, Files700.DIR);
    if (m.database().equals("sqlite")) {
      Path db = data.resolve(BackupManifest.DATABASE_FILE);
      copy(from.resolve(BackupManifest.DATABASE_FILE), db);
      String integrity = integrity(db);
      if (!integrity.equals("ok")) {
        Files.delete(db);
        throw new BackupRefused("the database in " + from + " is damaged: " + integrity);
      }
    }
    Snapshot.copyLogs(from.resolve(BackupManifest.LOGS), data.resolve(BackupManifest.LOGS), null);
    return m;
  }

  private static void copy(Path from, Path to) throws IOException {
    try (InputStream in = Files.newInputStream(from);
        OutputStream out = Files700.create(to)) {
      in.transferTo(out);
    }
  }

  private static String integrity(Path db) throws IOException {
    try (Connection c = DriverManager.getConnection("jdbc:sqlite:" + db.toAbsolutePath());
        Statement s = c.createStatement();
        ResultSet rs = s.executeQuery("PRAGMA integrity_check")) {
      return rs.next() ? rs.getString(1) : "no answer";
    } catch (SQLException e) {
      return e.getMessage();
    }
  }
}
