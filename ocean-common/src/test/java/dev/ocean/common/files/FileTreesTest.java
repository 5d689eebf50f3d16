package dev.ocean.common.files;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@link FileTrees#delete}: a whole tree goes, nothing a link in it points at does. */
class FileTreesTest {
  @TempDir Path dir;

  @Test
  void linksToOutsideTheTreeAreRemovedAndWhatTheyPointAtIsUntouched() throws IOException {
    Path outside = Files.createDirectories(dir.resolve("outside/keep"));
    Files.writeString(outside.resolve("precious.txt"), "mine");
    Path tree = Files.createDirectories(dir.resolve("tree/a/b"));
    Files.writeString(tree.resolve("f.txt"), "x");
    Files.createSymbolicLink(tree.resolve("to-dir"), outside);
    Files.createSymbolicLink(tree.resolve("to-file"), outside.resolve("precious.txt"));
    Files.createSymbolicLink(dir.resolve("tree/dangling"), dir.resolve("nowhere"));

    assertTrue(FileTrees.delete(dir.resolve("tree")));

    assertFalse(Files.exists(dir.resolve("tree"), LinkOption.NOFOLLOW_LINKS));
    assertEquals("mine", Files.readString(outside.resolve("precious.txt")));
    assertTrue(Files.isDirectory(outside));
  }

  @Test
  void aLinkAsTheRootIsRemovedItselfNotItsTarget() throws IOException {
    Path target = Files.createDirectories(dir.resolve("target"));
    Files.writeString(target.resolve("f.txt"), "kept");
    Path link = Files.createSymbolicLink(dir.resolve("link"), target);

    assertTrue(FileTrees.delete(link));

    assertFalse(Files.exists(link, LinkOption.NOFOLLOW_LINKS));
    assertEquals("kept", Files.readString(target.resolve("f.txt")));
  }

  @Test
  void readOnlyDirectoriesAreDeletedWithWhatTheyHold() throws IOException {
    // what `go mod download` leaves in a run's work directory or a volume
    Path ro = Files.createDirectories(dir.resolve("tree/pkg/mod/example.com@v1"));
    Files.writeString(ro.resolve("go.mod"), "module example.com");
    Files.setPosixFilePermissions(
        ro.resolve("go.mod"), PosixFilePermissions.fromString("r--r--r--"));
    Files.setPosixFilePermissions(ro, PosixFilePermissions.fromString("r-xr-xr-x"));
    Files.setPosixFilePermissions(ro.getParent(), PosixFilePermissions.fromString("r-xr-xr-x"));

    assertTrue(FileTrees.delete(dir.resolve("tree")));

    assertFalse(Files.exists(dir.resolve("tree")));
  }

  @Test
  void aMissingPathIsNothingToDelete() throws IOException {
    assertFalse(FileTrees.delete(dir.resolve("never-made")));
    Path file = Files.writeString(dir.resolve("plain.txt"), "x");
    assertTrue(FileTrees.delete(file));
    assertFalse(Files.exists(file));
  }
}
