package dev.ocean.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Another local user must not be able to swap the pid or port files ocean down and up trust. */
class LocalClusterFilesTest {
  @TempDir Path dir;

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }

  @Test
  void theDataFolderAndItsPortFileArePrivate() throws Exception {
    Path data = dir.resolve("ocean");
    LocalCluster cluster = new LocalCluster(data);
    cluster.savePort(18436);
    assertEquals("rwx------", mode(data));
    assertEquals("rw-------", mode(data.resolve("port")));
    assertEquals(18436, cluster.port(0));
  }

  @Test
  void aWorldWritableDataFolderIsMadePrivate() throws Exception {
    Path data = Files.createDirectories(dir.resolve("ocean"));
    Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxrwxrwx"));
    new LocalCluster(data).adminPassword();
    assertEquals("rwx------", mode(data));
  }
}
