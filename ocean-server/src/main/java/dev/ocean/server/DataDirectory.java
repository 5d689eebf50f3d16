package dev.ocean.server;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds password hashes and every user's logs: created owner-only, and a looser
 * existing one is reported rather than silently changed (it may be shared on purpose).
 */
final class DataDirectory {
  // logged under OceanServer, where operators' log settings already name these lines
  private static final Logger LOG = LoggerFactory.getLogger(OceanServer.class);

  private DataDirectory() {}

  /** Creates the data and storage directories and, on SQLite, the owner-only database file. */
  static void prepare(ServerConfig config) throws IOException {
    prepareDirectory(config.dataDir());
    Files.createDirectories(config.storageDir());
    // agents check for it before they put volume data under their --storage
    dev.ocean.common.files.StorageMarker.ensure(config.storageDir());
    dev.ocean.server.volume.VolumeFolders.openStoragePath(config.storageDir(), config.dataDir());
    if (config.dbUrl() == null) {
      preparePrivateFile(config.dataDir().resolve("ocean.db"));
    }
  }

  /** SQLite gives its WAL and shared-memory files the database file's mode: owner only. */
  private static void preparePrivateFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
    }
  }

  private static void prepareDirectory(Path dir) throws IOException {
    try {
      if (!Files.exists(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else if (Files.getPosixFilePermissions(dir).stream()
          .anyMatch(
              p ->
                  (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))
                      && !p.name().endsWith("EXECUTE"))) {
        // passing through (x) is fine: jobs run as other accounts reach their volumes that way
        LOG.warn("data directory {} is readable by other users; chmod 700 it", dir);
      }
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }
}
