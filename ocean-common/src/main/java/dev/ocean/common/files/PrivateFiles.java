package dev.ocean.common.files;

import java.io.IOException;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;

/**
 * Writes files that hold secrets (tokens, node credentials): mode 0600 from the first byte and
 * replaced atomically, so a reader never sees a half-written file or a moment of wider access.
 */
public final class PrivateFiles {
  private PrivateFiles() {}

  /**
   * Creates {@code dir} (and missing parents) and makes it 0700 whatever the umask, so another
   * local user can neither read nor swap what it holds.
   */
  public static Path directory(Path dir) throws IOException {
    // the parents it makes too (~/.local/share under umask 000 would be 0777: another user could
    // move ocean/ away and put theirs in its place)
    Files.createDirectories(
        dir, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx------"));
    return dir;
  }

  /** Replaces {@code file} with {@code content}; its directory must exist. */
  public static void write(Path file, byte[] content) throws IOException {
    Path tmp =
        Files.createTempFile(
            file.getParent(),
            "." + file.getFileName(),
            ".tmp",
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    try {
      Files.write(tmp, content);
      try {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
      } catch (AtomicMoveNotSupportedException e) {
        Files.move(tmp, file, StandardCopyOption.REPLACE_EXISTING);
      }
    } finally {
      Files.deleteIfExists(tmp);
    }
  }
}
