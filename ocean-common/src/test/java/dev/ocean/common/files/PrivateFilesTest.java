package dev.ocean.common.files;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Directories made for secrets, and the parents made on the way, are the owner's alone (qa7 K13).
 */
class PrivateFilesTest {
  @TempDir Path dir;

  @Test
  void theParentsItMakesAreOwnerOnlyToo() throws Exception {
    Path made = PrivateFiles.directory(dir.resolve(".local/share/ocean"));

    for (Path p : new Path[] {made, made.getParent(), made.getParent().getParent()}) {
      assertEquals(
          "rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(p)), p + "");
    }
  }

  @Test
  void aSecretFileIsOwnerOnly() throws Exception {
    Path file = PrivateFiles.directory(dir.resolve("d")).resolve("token");
    PrivateFiles.write(file, "secret".getBytes());
    assertEquals("rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(file)));
    assertEquals("secret", Files.readString(file));
  }
}
