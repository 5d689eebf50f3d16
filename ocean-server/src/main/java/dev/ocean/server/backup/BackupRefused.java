package dev.ocean.server.backup;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

/** A backup or restore that would overwrite something, or read something unfinished. */
public final class BackupRefused extends Exception {
  BackupRefused(String message) {
    super(message);
  }

  /** Refuses {@code dir} unless it is missing or an empty directory. */
  static void requireEmpty(Path dir, String what) throws BackupRefused, IOException {
    if (!Files.exists(dir)) {
      return;
    }
    if (!Files.isDirectory(dir)) {
      throw new BackupRefused(dir + " is not a directory");
    }
    try (Stream<Path> entries = Files.list(dir)) {
      if (entries.findAny().isPresent()) {
        throw new BackupRefused(dir + " is not empty; " + what + " only into a new or empty one");
      }
    }
  }
}
