package dev.ocean.cli.admin;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.Errors;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.files.FileTrees;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.stream.Stream;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ocean admin backup --to DIR}: asks the running server for an online backup and unpacks it
 * into a new directory that {@code ocean-server restore --from DIR} takes.
 */
@Command(
    name = "backup",
    description = {
      "Take an online backup of the server (SQLite database and run logs) into a new directory.",
      "Restore it on the server machine with: ocean-server restore --from DIR --data NEWDIR"
    })
public final class AdminBackupCommand extends BaseCommand {
  private static final String MANIFEST = "ocean-backup.json";

  @Option(
      names = "--to",
      required = true,
      paramLabel = "DIR",
      description = "New (or empty) directory for the backup.")
  Path to;

  @Override
  public Integer call() throws IOException {
    if (to.toString().isBlank()) {
      throw new CliException(ExitCodes.USAGE, "--to must not be empty; name a new directory");
    }
    Path dir = to.toAbsolutePath().normalize();
    if (Files.exists(dir)) {
      if (!Files.isDirectory(dir) || !isEmpty(dir)) {
        throw new CliException(
            ExitCodes.CONFLICT, "--to " + to + " is not empty; back up into a new directory");
      }
    }
    boolean made = !Files.exists(dir);
    try {
      Files.createDirectories(
          dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    } catch (java.nio.file.FileSystemException e) {
      // its message is the bare path: say what failed and why (qa8 Q12)
      throw new CliException(
          ExitCodes.ERROR, "--to: cannot create " + to + ": " + Errors.fileProblem(e));
    }
    long bytes;
    boolean finished;
    try {
      long[] copied = receive(dir);
      bytes = copied[0];
      finished = copied[1] == 1;
    } catch (RuntimeException | IOException e) {
      if (made) { // a refusal (a cluster on PostgreSQL) or a failure leaves no directory behind
        FileTrees.delete(dir);
      }
      throw e;
    }
    if (!finished) {
      throw new CliException(
          ExitCodes.ERROR, "the backup in " + to + " is incomplete: the server stopped sending it");
    }
    info("Backed up " + bytes + " bytes into " + to);
    int lost = runLogsLost(dir.resolve(MANIFEST));
    if (lost > 0) {
      // a rescue of a deleted data directory: the database is saved, the logs are not (qa8 Q6)
      info(
          "Warning: run logs: 0 of "
              + lost
              + (lost == 1 ? " run's log" : " runs' logs")
              + " could be saved (the server's data directory is gone).");
    }
    return 0;
  }

  /** How many started runs' logs the server could not put in the backup (0 when unsaid). */
  private int runLogsLost(Path manifest) throws IOException {
    return client().mapper().readTree(manifest.toFile()).path("runLogsLost").asInt(0);
  }

  /** Unpacks the server's backup into {@code dir}: the bytes written, and 1 once it is whole. */
  private long[] receive(Path dir) throws IOException {
    long bytes = 0;
    boolean finished = false;
    try (InputStream in = client().stream("/admin/backup");
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        Path f = dir.resolve(e.getName()).normalize();
        if (!f.startsWith(dir) || e.isDirectory()) {
          throw new CliException(
              ExitCodes.ERROR, "the server sent a backup entry outside --to: " + e.getName());
        }
        Files.createDirectories(
            f.getParent(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
        Files.createFile(
            f, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        try (var out = Files.newOutputStream(f)) {
          bytes += zip.transferTo(out);
        }
        finished = e.getName().equals(MANIFEST);
      }
    }
    return new long[] {bytes, finished ? 1 : 0};
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
