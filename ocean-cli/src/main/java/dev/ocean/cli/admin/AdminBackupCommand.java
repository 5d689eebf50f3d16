package dev.ocean.cli.admin;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.Errors;
import dev.ocean.cli.base.ExitCodes;
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
    long bytes = 0;
    boolean finished = false;
    // the server's answer first: a refusal (a cluster on PostgreSQL) leaves no directory behind
    try (InputStream in = client().stream("/admin/backup");
        ZipInputStream zip = new ZipInputStream(in)) {
      try {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (java.nio.file.FileSystemException e) {
        throw new CliException(
            ExitCodes.ERROR,
            "--to " + to + " cannot be created: " + e.getFile() + ": " + Errors.fileProblem(e));
      }
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
    if (!finished) {
      throw new CliException(
          ExitCodes.ERROR, "the backup in " + to + " is incomplete: the server stopped sending it");
    }
    info("Backed up " + bytes + " bytes into " + to);
    return 0;
  }

  private static boolean isEmpty(Path dir) throws IOException {
    try (Stream<Path> s = Files.list(dir)) {
      return s.findAny().isEmpty();
    }
  }
}
