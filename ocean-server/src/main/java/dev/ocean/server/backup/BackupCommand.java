package dev.ocean.server.backup;

import dev.ocean.server.ServerConfig;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.SQLException;
import java.time.Clock;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ocean-server backup --to DIR}: an online backup of a data directory, server running. */
@Command(
    name = "backup",
    mixinStandardHelpOptions = true,
    resourceBundle = "dev.ocean.common.HelpTexts",
    description = {
      "Backs up the data directory while the server runs: a consistent copy of the SQLite"
          + " database (VACUUM INTO) and the run logs, into a new directory for"
          + " 'ocean-server restore'.",
      "A server on PostgreSQL (--db) keeps the run logs in the database too: back that up with"
          + " pg_dump; this command refuses it."
    })
public final class BackupCommand implements Callable<Integer> {
  @Option(
      names = "--to",
      required = true,
      paramLabel = "DIR",
      description = "New backup directory.")
  Path to;

  @Option(
      names = "--data",
      defaultValue = "${env:OCEAN_DATA}",
      paramLabel = "DIR",
      description = {"Data directory (env OCEAN_DATA); the default:", "~/.local/share/ocean"})
  Path data;

  @Option(
      names = "--db",
      defaultValue = "${env:OCEAN_DB}",
      paramLabel = "JDBC_URL",
      description = "The server's --db (env OCEAN_DB; default SQLite in DATA).")
  String db;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    Path dataDir = data != null ? data : ServerConfig.defaultDataDir();
    if (db != null && !db.isBlank() && !db.startsWith("jdbc:sqlite:")) {
      return fail(
          2,
          db.startsWith("jdbc:postgresql:")
              ? "--db: a cluster on PostgreSQL keeps its jobs and run logs in the database, so"
                  + " this backup would hold none of them; back the database up with pg_dump -Fc"
                  + " -f ocean.dump DBNAME instead"
              : "--db must be jdbc:sqlite:FILE (or leave it out for the SQLite file in --data)");
    }
    Path file =
        db == null || db.isBlank()
            ? dataDir.resolve(BackupManifest.DATABASE_FILE)
            : Path.of(db.substring("jdbc:sqlite:".length()));
    if (!Files.isRegularFile(file)) {
      return fail(1, "there is no Ocean database at " + file + "; check --data (or --db)");
    }
    Snapshot.DatabaseCopier copier = Snapshot.sqliteFile(file);
    BackupManifest m;
    try {
      m = Snapshot.take(copier, dataDir.resolve(BackupManifest.LOGS), to, Clock.systemUTC());
    } catch (BackupRefused e) {
      return fail(5, "--to: " + e.getMessage());
    } catch (IOException | SQLException e) {
      return fail(1, "the backup into " + to + " failed: " + e.getMessage());
    }
    spec.commandLine()
        .getOut()
        .printf(
            "Backed up %d jobs and %d log bytes from %s into %s%n",
            m.jobs(), m.logBytes(), dataDir, to);
    return 0;
  }

  private int fail(int code, String sentence) {
    String m = sentence.strip();
    spec.commandLine().getErr().println("Error: " + (m.endsWith(".") ? m : m + "."));
    return code;
  }
}
