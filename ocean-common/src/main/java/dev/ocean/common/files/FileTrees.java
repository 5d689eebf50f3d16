package dev.ocean.common.files;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SecureDirectoryStream;
import java.nio.file.attribute.BasicFileAttributeView;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.attribute.PosixFilePermission;
import java.util.EnumSet;
import java.util.Set;

/**
 * Deletes a directory tree the way {@code rm -rf} does, for every part of Ocean that removes one (a
 * run's work directory, a volume, a scratch backup, what {@code ocean up} made, an agent's state).
 * It never follows a symbolic link: a link is removed, never what it points at, even when a
 * directory is swapped for a link while the delete runs (each directory is read through the one
 * above it, {@link SecureDirectoryStream}). A directory its owner may not write (a Go module cache
 * is read-only) is made writable by its owner first. What vanishes meanwhile is not an error.
 */
public final class FileTrees {
  private static final LinkOption NOFOLLOW = LinkOption.NOFOLLOW_LINKS;
  private static final Set<PosixFilePermission> OWNER =
      EnumSet.of(
          PosixFilePermission.OWNER_READ,
          PosixFilePermission.OWNER_WRITE,
          PosixFilePermission.OWNER_EXECUTE);

  private FileTrees() {}

  /**
   * Deletes {@code root} and all it holds; a link at {@code root} is deleted itself. Returns
   * whether there was anything to delete; throws with the path that could not be deleted.
   */
  public static boolean delete(Path root) throws IOException {
    BasicFileAttributes a;
    try {
      a = Files.readAttributes(root, BasicFileAttributes.class, NOFOLLOW);
    } catch (NoSuchFileException e) {
      return false;
    }
    if (a.isDirectory()) {
      allowOwner(Files.getFileAttributeView(root, PosixFileAttributeView.class, NOFOLLOW));
      try (DirectoryStream<Path> entries = Files.newDirectoryStream(root)) {
        if (entries instanceof SecureDirectoryStream<Path> secure) {
          empty(secure, root);
        } else {
          emptyByPath(entries);
        }
      } catch (NoSuchFileException e) {
        return true; // deleted meanwhile
      }
    }
    Files.deleteIfExists(root);
    return true;
  }

  /** Empties a directory opened without following links, entry by entry relative to it. */
  private static void empty(SecureDirectoryStream<Path> dir, Path at) throws IOException {
    for (Path entry : dir) {
      Path name = entry.getFileName();
      Path full = at.resolve(name);
      try {
        BasicFileAttributes a =
            dir.getFileAttributeView(name, BasicFileAttributeView.class, NOFOLLOW).readAttributes();
        if (a.isDirectory()) {
          allowOwner(dir.getFileAttributeView(name, PosixFileAttributeView.class, NOFOLLOW));
          try (SecureDirectoryStream<Path> child = dir.newDirectoryStream(name, NOFOLLOW)) {
            empty(child, full);
          }
          dir.deleteDirectory(name);
        } else {
          dir.deleteFile(name); // a link, too: the link goes, not its target
        }
      } catch (NoSuchFileException e) {
        // deleted meanwhile
      } catch (IOException e) {
        throw named(full, e);
      }
    }
  }

  /** Where the file system offers no secure directory stream: by path, links not followed. */
  private static void emptyByPath(DirectoryStream<Path> entries) throws IOException {
    for (Path entry : entries) {
      delete(entry);
    }
  }

  /** Adds owner read, write and search to a directory's mode, so its entries can be deleted. */
  private static void allowOwner(PosixFileAttributeView view) throws IOException {
    if (view == null) {
      return; // not a POSIX file system
    }
    Set<PosixFilePermission> mode = view.readAttributes().permissions();
    if (!mode.containsAll(OWNER)) {
      mode.addAll(OWNER);
      try {
        view.setPermissions(mode);
      } catch (IOException e) {
        // not ours to change: deleting its entries then says why it failed
      }
    }
  }

  /** The failure with the whole path of what could not be deleted, and why in words. */
  private static IOException named(Path full, IOException e) {
    String why =
        switch (e) {
          case java.nio.file.AccessDeniedException d -> "permission denied";
          case java.nio.file.DirectoryNotEmptyException d -> "the directory is not empty";
          case java.nio.file.FileSystemException fs when fs.getReason() != null -> fs.getReason();
          default -> String.valueOf(e.getMessage());
        };
    var named = new java.nio.file.FileSystemException(full.toString(), null, why);
    named.initCause(e);
    return named;
  }
}
