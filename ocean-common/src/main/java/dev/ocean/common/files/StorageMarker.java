package dev.ocean.common.files;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.UUID;

/**
 * The file the server keeps in the root of its volume storage, so that an agent can tell the
 * cluster's shared storage from a mistyped, missing or not yet mounted directory.
 */
public final class StorageMarker {
  /** The marker's name in the storage root. */
  public static final String FILE = ".ocean-storage";

  private StorageMarker() {}

  /** Writes the marker into {@code root} unless one is there (another server of the cluster's). */
  public static void ensure(Path root) throws IOException {
    Path file = root.resolve(FILE);
    if (Files.exists(file)) {
      return;
    }
    try {
      Files.writeString(
          file,
          "Ocean volume storage " + UUID.randomUUID() + "\n",
          StandardCharsets.UTF_8,
          java.nio.file.StandardOpenOption.CREATE_NEW,
          java.nio.file.StandardOpenOption.WRITE);
    } catch (FileAlreadyExistsException raced) {
      // written by another server sharing the storage: fine
    }
  }

  /**
   * Why {@code dir} is not the cluster's volume storage, as a sentence naming {@code flag}, or null
   * when it holds the server's marker.
   */
  public static String refusal(String flag, Path dir) {
    if (!Files.isDirectory(dir)) {
      return flag + " " + dir + " is not a directory";
    }
    if (!Files.isRegularFile(dir.resolve(FILE))) {
      return flag
          + " "
          + dir
          + " is not this cluster's volume storage (it has no "
          + FILE
          + " file from the server; is it mounted?)";
    }
    return null;
  }

  /** Whether {@code dir} holds the server's marker now. */
  public static boolean present(Path dir) {
    return Files.isRegularFile(dir.resolve(FILE));
  }
}
