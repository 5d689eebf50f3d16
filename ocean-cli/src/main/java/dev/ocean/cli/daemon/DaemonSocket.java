package dev.ocean.cli.daemon;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Map;

/**
 * Where this release's daemon listens: {@code $XDG_RUNTIME_DIR/ocean} (else {@code
 * /tmp/ocean-$UID}), a directory that must belong to the user, be a real directory and be closed to
 * everyone else (0700), holding {@code cli-BUILDID.sock}. The build id is written into the release
 * at build time, so an upgraded release never talks to an older daemon. The native client makes the
 * same checks.
 */
public record DaemonSocket(Path directory, Path socket) {
  /** The user's daemon directory for the environment {@code env}. */
  public static Path directory(Map<String, String> env) {
    String runtime = env.get("XDG_RUNTIME_DIR");
    if (runtime != null && !runtime.isEmpty()) {
      return Path.of(runtime, "ocean");
    }
    return Path.of("/tmp", "ocean-" + uid());
  }

  /**
   * The socket of this release's daemon for the environment {@code env}, creating the directory
   * when it is missing.
   *
   * @throws IllegalStateException naming why there can be no daemon: not an installed release, or a
   *     directory that is not the user's private one
   */
  public static DaemonSocket locate(Map<String, String> env) {
    String id = buildId();
    if (id == null) {
      throw new IllegalStateException("not an installed release (no lib/cli/build-id)");
    }
    Path dir = directory(env);
    String refusal = refusal(dir);
    if (refusal != null) {
      throw new IllegalStateException(refusal);
    }
    return new DaemonSocket(dir, dir.resolve("cli-" + id + ".sock"));
  }

  /** Null when {@code dir} is the user's private directory (made if missing), else why not. */
  static String refusal(Path dir) {
    try {
      try {
        Files.createDirectory(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } catch (FileAlreadyExistsException e) {
        // checked below, whoever made it
      }
      if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
        return dir + " is not a directory";
      }
      int owner = (Integer) Files.getAttribute(dir, "unix:uid", LinkOption.NOFOLLOW_LINKS);
      if (owner != uid()) {
        return dir + " belongs to another user (uid " + owner + ")";
      }
      int mode = (Integer) Files.getAttribute(dir, "unix:mode", LinkOption.NOFOLLOW_LINKS);
      if ((mode & 077) != 0) {
        return dir + " is open to other users (mode " + Integer.toOctalString(mode & 0777) + ")";
      }
      return null;
    } catch (IOException | UnsupportedOperationException e) {
      return "cannot use " + dir + ": " + e.getMessage();
    }
  }

  /** The release's build id ({@code lib/cli/build-id} beside the launcher), or null. */
  static String buildId() {
    String launcher = System.getProperty("ocean.launcher");
    if (launcher == null) {
      return null;
    }
    Path file = Path.of(launcher).toAbsolutePath().getParent().resolveSibling("lib/cli/build-id");
    try {
      String id = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return id.matches("[0-9a-f]{1,64}") ? id : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** This process's user id. */
  static int uid() {
    try {
      return (Integer) Files.getAttribute(Path.of("/proc/self"), "unix:uid");
    } catch (IOException e) {
      throw new IllegalStateException("cannot tell this process's user id", e);
    }
  }
}
