package dev.ocean.server.backup;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** {@code ocean-server restore --from DIR --data NEWDIR}: a backup into a new data directory. */
@Command(
    name = "restore",
    mixinStandardHelpOptions = true,
    resourceBundle = "dev.ocean.common.HelpTexts",
    description =
        "Restores a backup (ocean-server backup, ocean admin backup) into a new, empty data"
            + " directory; then start ocean-server --data NEWDIR.")
public final class RestoreCommand implements Callable<Integer> {
  @Option(names = "--from", required = true, paramLabel = "DIR", description = "Backup directory.")
  Path from;

  @Option(
      names = "--data",
      required = true,
      paramLabel = "NEWDIR",
      description = "Data directory to create; must be missing or empty.")
  Path data;

  @Spec CommandSpec spec;

  @Override
  public Integer call() throws Exception {
    BackupManifest m;
    if (from.toString().isBlank() || data.toString().isBlank()) {
      spec.commandLine()
          .getErr()
          .println((from.toString().isBlank() ? "--from" : "--data") + " must not be empty");
      return 2;
    }
    if (!java.nio.file.Files.isDirectory(from)) {
      spec.commandLine().getErr().println("--from " + from + " does not exist or is no directory");
      return 3;
    }
    try {
      if (!Restore.manifest(from).database().equals("sqlite")) {
        spec.commandLine()
            .getErr()
            .println(
                "--from: "
                    + from
                    + " was taken of a cluster on PostgreSQL and holds no database; restore the"
                    + " database with pg_restore instead");
        return 5;
      }
    } catch (BackupRefused e) {
      spec.commandLine().getErr().println("--from: " + e.getMessage());
      return 5;
    }
    try {
      m = Restore.into(from, data);
    } catch (BackupRefused e) {
      spec.commandLine().getErr().println("--data: " + e.getMessage());
      return 5;
    } catch (IOException e) {
      spec.commandLine().getErr().println("the restore into " + data + " failed: " + e);
      return 1;
    }
    spec.commandLine()
        .getOut()
        .printf(
            "Restored %d jobs and %d log bytes into %s; start it with: ocean-server --data %s%n",
            m.jobs(), m.logBytes(), data, data);
    return 0;
  }
}
