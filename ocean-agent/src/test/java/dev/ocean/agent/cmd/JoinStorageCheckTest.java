package dev.ocean.agent.cmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ocean.common.files.StorageMarker;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean-agent join --storage DIR} refuses a directory that is not the cluster's volume
 * storage, before it registers: volume data must not silently land next to the share.
 */
class JoinStorageCheckTest {
  @TempDir Path dir;

  private static synchronized String[] join(Path state, String storage) {
    PrintStream err = System.err;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try (PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      System.setErr(pe);
      int exit =
          AgentCommand.run(
              Map.of(),
              "join",
              "--server",
              "http://127.0.0.1:9",
              "--token",
              "t",
              "--runtime",
              "process",
              "--state-dir",
              state.toString(),
              "--storage",
              storage);
      return new String[] {String.valueOf(exit), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void aMissingStorageDirectoryIsRefusedNamingTheFlag() {
    Path missing = dir.resolve("no-such-storage");
    String[] r = join(dir.resolve("s"), missing.toString());
    assertEquals("2", r[0], r[1]);
    assertEquals("Error: --storage " + missing + " is not a directory.\n", r[1]);
    assertFalse(Files.exists(missing), "nothing is created in its place");
    assertFalse(Files.exists(dir.resolve("s").resolve("agent.json")), "not registered");
  }

  @Test
  void aDirectoryWithoutTheServersMarkerIsNotTheClustersStorage() throws Exception {
    Path empty = Files.createDirectory(dir.resolve("empty"));
    String[] r = join(dir.resolve("s"), empty.toString());
    assertEquals("2", r[0], r[1]);
    assertEquals(
        "Error: --storage "
            + empty
            + " is not this cluster's volume storage (it has no .ocean-storage file from the"
            + " server; is it mounted?).\n",
        r[1]);
  }

  @Test
  void aRelativeStoragePathIsShownAbsolute() {
    String[] r = join(dir.resolve("s"), "./not-here/storage");
    assertEquals("2", r[0], r[1]);
    Path absolute = Path.of("not-here/storage").toAbsolutePath();
    assertEquals("Error: --storage " + absolute + " is not a directory.\n", r[1]);
  }

  @Test
  void theServersStorageIsAccepted() throws Exception {
    Path storage = Files.createDirectory(dir.resolve("storage"));
    StorageMarker.ensure(storage);
    String[] r = join(dir.resolve("s"), storage.toString());
    // gets past the storage check to the unreachable server
    assertFalse(r[1].contains("--storage"), r[1]);
  }
}
