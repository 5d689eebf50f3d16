package dev.ocean.server.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.Volume;
import dev.ocean.common.api.job.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's files are the owner's only: volume directories (and the user's directory above them) are
 * 0700, run logs 0600 in 0700 directories, so other accounts on the server or a node that mounts
 * the storage cannot read them.
 */
class PrivateFilesTest {
  @TempDir Path dir;

  @Test
  void volumeDirectoriesAndRunLogsAreOwnerOnly() throws Exception {
    Path data = dir.resolve("data");
    try (ScriptedCluster cluster = ScriptedCluster.start(data, c -> c)) {
      cluster.admin.post("/volumes", new Volume.Create("home", 1), Volume.class);
      Job job = cluster.submit("secret");
      String runId = cluster.poll(List.of()).start().getFirst().runId();
      cluster.ship(runId, 0, "token=hunter2\n".getBytes(StandardCharsets.UTF_8));

      Path volumes = data.resolve("storage/volumes");
      try (var users = Files.list(volumes)) {
        Path user = users.findFirst().orElseThrow();
        assertEquals("rwx------", mode(user), "the user's volume folder");
        assertEquals("rwx------", mode(user.resolve("home")), "the volume");
      }
      Path log = data.resolve("logs").resolve(String.valueOf(job.id())).resolve("0.log");
      assertEquals("rw-------", mode(log), "the run log");
      assertEquals("rwx------", mode(log.getParent()), "the job's log folder");
      assertEquals("rwx------", mode(data.resolve("logs")), "the log folder");
    }
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
