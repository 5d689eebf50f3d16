package dev.ocean.agent.cmd;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean-agent join --server} refuses a list with an entry that is not a server address, with
 * the CLI's sentence and exit 2, before it registers or saves anything (qa8 Q9): a typo in the
 * second address would otherwise show only on the day the first server dies.
 */
class JoinServerCheckTest {
  @TempDir Path dir;

  private static synchronized String[] join(Path state, String server) {
    PrintStream err = System.err;
    ByteArrayOutputStream e = new ByteArrayOutputStream();
    try (PrintStream pe = new PrintStream(e, true, StandardCharsets.UTF_8)) {
      System.setErr(pe);
      int exit =
          AgentCommand.run(
              Map.of(),
              "join",
              "--server",
              server,
              "--token",
              "t",
              "--runtime",
              "process",
              "--state-dir",
              state.toString());
      return new String[] {String.valueOf(exit), e.toString(StandardCharsets.UTF_8)};
    } finally {
      System.setErr(err);
    }
  }

  @Test
  void aNonUrlSecondEntryIsRefusedAsTheCliDoes() {
    String[] r = join(dir.resolve("s"), "http://127.0.0.1:9,notaurl");
    assertEquals("2", r[0], r[1]);
    assertEquals(
        "Error: --server: 'notaurl' is not a server address like http://host:8080 (several:"
            + " http://a:8080,http://b:8080).\n",
        r[1]);
    assertFalse(Files.exists(dir.resolve("s").resolve("agent.json")), "nothing saved");
  }

  @Test
  void anEmptyEntryIsRefusedBeforeTheTokenIsTried() {
    String[] r = join(dir.resolve("s"), "http://127.0.0.1:9,");
    assertEquals("2", r[0], r[1]);
    assertEquals(
        "Error: --server: '' is not a server address like http://host:8080 (several:"
            + " http://a:8080,http://b:8080).\n",
        r[1]);
  }

  @Test
  void anAddressEndingInTheApiPathIsRefused() {
    String[] r = join(dir.resolve("s"), "http://127.0.0.1:9/api");
    assertEquals("2", r[0], r[1]);
    assertEquals(
        "Error: --server: 'http://127.0.0.1:9/api' should be the server's root,"
            + " http://127.0.0.1:9, without /api.\n",
        r[1]);
  }
}
