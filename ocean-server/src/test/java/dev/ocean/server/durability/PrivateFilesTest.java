package dev.ocean.server.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Volume;
import dev.ocean.common.api.job.Job;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A user's files are the owner's only: volume directories are 0700 (the folders above them 0711:
 * passed through, not listed), run logs 0600 in 0700 directories, so other accounts on the server
 * or a node that mounts the storage cannot read them.
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
        assertEquals("rwx--x--x", mode(user), "the user's volume folder: passed, not listed");
        assertEquals("rwx------", mode(user.resolve("home")), "the volume");
      }
      assertEquals("rwx--x--x", mode(volumes), "the volumes folder");
      assertTrue(mode(data.resolve("storage")).endsWith("x"), "the storage root can be passed");
      assertEquals("rwx--x--x", mode(data), "the data folder the storage lies in");
      Path log = data.resolve("logs").resolve(String.valueOf(job.id())).resolve("0.log");
      assertEquals("rw-------", mode(log), "the run log");
      assertEquals("rwx------", mode(log.getParent()), "the job's log folder");
      assertEquals("rwx------", mode(data.resolve("logs")), "the log folder");
    }
  }

  @Test
  void aUsersFolderMadeOwnerOnlyByAnEarlierVersionCanBePassedAfterARestart() throws Exception {
    Path data = dir.resolve("data");
    Path user = data.resolve("storage/volumes/7");
    Files.createDirectories(user.resolve("home"));
    Files.setPosixFilePermissions(user, PosixFilePermissions.fromString("rwx------"));
    Files.setPosixFilePermissions(
        user.resolve("home"), PosixFilePermissions.fromString("rwx------"));
    try (ScriptedCluster cluster = ScriptedCluster.start(data, c -> c)) {
      assertEquals("rwx--x--x", mode(user), "passed, not listed");
      assertEquals("rwx------", mode(user.resolve("home")), "the volume stays owner-only");
    }
  }

  /**
   * A job run as another account (the agent's --run-as, which owns the volume) reaches its volume
   * by path, as {@code cat "$HOME/x"} does, but cannot list the other users' folders.
   */
  @Test
  void aJobRunAsAnotherAccountReachesItsVolumeByPathButListsNothingAbove() throws Exception {
    Assumptions.assumeTrue("root".equals(System.getProperty("user.name")), "needs root");
    Assumptions.assumeTrue(Files.isExecutable(Path.of("/usr/bin/setpriv")), "needs setpriv");
    // like /var/lib: the folder the data directory lies in can be passed (JUnit's is 0700)
    Files.setPosixFilePermissions(dir, PosixFilePermissions.fromString("rwx--x--x"));
    Path data = dir.resolve("data");
    try (ScriptedCluster cluster = ScriptedCluster.start(data, c -> c)) {
      cluster.admin.post("/volumes", new Volume.Create("home", 1), Volume.class);
      Path volumes = data.resolve("storage/volumes");
      Path home;
      try (var users = Files.list(volumes)) {
        home = users.findFirst().orElseThrow().resolve("home");
      }
      Files.writeString(home.resolve("mine.txt"), "hi\n");
      // what the agent does before a run: the volume belongs to the account the job runs as
      var nobody =
          home.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName("nobody");
      Files.setOwner(home, nobody);
      Files.setOwner(home.resolve("mine.txt"), nobody);

      assertEquals("hi\n", asNobody("cat", home.resolve("mine.txt").toString()));
      assertEquals("fail\n", asNobody("sh", "-c", "ls " + volumes + " || echo fail"));
    }
  }

  private static String asNobody(String... argv) throws Exception {
    List<String> command =
        new java.util.ArrayList<>(
            List.of("/usr/bin/setpriv", "--reuid=nobody", "--regid=nogroup", "--clear-groups"));
    command.addAll(List.of(argv));
    Process p = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    p.waitFor();
    return out;
  }

  private static String mode(Path p) throws Exception {
    return PosixFilePermissions.toString(Files.getPosixFilePermissions(p));
  }
}
