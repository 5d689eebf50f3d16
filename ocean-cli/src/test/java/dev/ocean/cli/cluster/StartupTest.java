package dev.ocean.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.cli.base.CliException;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What {@code ocean up} says when a program it started exits instead of answering. */
class StartupTest {
  @TempDir Path dir;

  @Test
  void aProgramThatExitedIsQuotedWithoutItsFullStopRunningIntoTheRest() throws Exception {
    // qa6 H2 / qa7 K2: "... with a new token.; see ..."
    Path log = dir.resolve("ocean-agent.log");
    Files.writeString(log, "starting\nError: the server no longer accepts this node.\n\n");
    Process exited = new ProcessBuilder("sh", "-c", "exit 1").start();
    exited.waitFor();

    CliException e =
        assertThrows(
            CliException.class, () -> Startup.await("node local", () -> null, exited, log));

    assertEquals(
        "gave up waiting for node local: it exited with 1 after saying: Error: the server no"
            + " longer accepts this node; see "
            + log,
        e.getMessage());
  }
}
