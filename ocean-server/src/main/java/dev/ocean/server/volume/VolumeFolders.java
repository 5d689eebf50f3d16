package dev.ocean.server.volume;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;

/**
 * The modes of the folders volumes live in: a volume is its owner's only, the folders above it can
 * be passed through (so a job run as another account reaches its volume by path) but not listed.
 */
public final class VolumeFolders {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");
  private static final Set<PosixFilePermission> TRAVERSE_ONLY =
      PosixFilePermissions.fromString("rwx--x--x");

  private VolumeFolders() {}

  /**
   * A volume holds one user's files: its directory is owner only, so nobody else on a node that
   * mounts the storage can read it; the folders above it can be passed through but not listed.
   */
  static void createPrivateDirectory(Path dir) throws IOException {
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      // a job run as another account must reach its volume by path ($HOME): the folders above
      // it may be passed through, never listed
      Files.setPosixFilePermissions(dir.getParent().getParent(), TRAVERSE_ONLY);
      Files.setPosixFilePermissions(dir.getParent(), TRAVERSE_ONLY);
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  /**
   * Lets jobs run as other accounts pass through the storage root, and the folders above it up to
   * the server's data directory when the storage lies inside it, without listing them.
   */
  public static void openStoragePath(Path storageRoot, Path dataDir) {
    Path data = dataDir.toAbsolutePath().normalize();
    Path root = storageRoot.toAbsolutePath().normalize();
    boolean inside = root.startsWith(data);
    for (Path at = root; at != null && passable(at); at = at.getParent()) {
      if (!inside || at.equals(data)) {
        break;
      }
    }
    // folders made 0700 by an earlier version: the users' folders above their volumes
    Path volumes = root.resolve("volumes");
    if (Files.isDirectory(volumes) && passable(volumes)) {
      try (var users = Files.list(volumes)) {
        users.filter(Files::isDirectory).forEach(VolumeFolders::passable);
      } catch (IOException e) {
        // left as they are; new volumes still get passable folders
      }
    }
  }

  /** Adds search (x) for group and others to {@code dir}; false when it cannot. */
  private static boolean passable(Path dir) {
    try {
      Set<PosixFilePermission> mode = new java.util.HashSet<>(Files.getPosixFilePermissions(dir));
      if (mode.add(PosixFilePermission.GROUP_EXECUTE)
          | mode.add(PosixFilePermission.OTHERS_EXECUTE)) {
        Files.setPosixFilePermissions(dir, mode);
      }
      return true;
    } catch (IOException | UnsupportedOperationException | SecurityException e) {
      return false; // not ours (a read-only share, another file system): leave it as it is
    }
  }
}
