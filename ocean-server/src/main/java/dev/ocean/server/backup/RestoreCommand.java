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
      return fail(2, (from.toString().isBlank() ? "--from" : "--data") + " must not be empty");
    }
    if (!java.nio.file.Files.isDirectory(from)) {
      return fail(3, "--from " + from + " does not exist or is no directory");
    }
    try {
      if (!Restore.manifest(from).database().equals("sqlite")) {
        return fail(
            5,
            "--from: "
                + from
                + " was taken of a cluster on PostgreSQL and holds no database; restore the"
                + " database with pg_restore instead");
      }
    } catch (BackupRefused e) {
      return fail(5, "--from: " + e.getMessage());
    }
    try {
      m = Restore.into(from, data);
    } catch (BackupRefused e) {
      return fail(5, "--data: " + e.getMessage());
    } catch (IOException e) {
      return fail(1, "the restore into " + data + " failed: " + e);
    }
    spec.commandLine()
        .getOut()
        .printf(
            "Restored %d jobs and %d log bytes into %s; start it with: ocean-server --data %s%n",
            m.jobs(), m.logBytes(), data, data);
    return 0;
  }

  /** A refusal, in the {@code Error: ….} form of every Ocean command. */
  private int fail(int code, String sentence) {
    String m = sentence.strip();
    spec.commandLine().getErr().println("Error: " + (m.endsWith(".") ? m : m + "."));
    return code;
  }
}
