package dev.ocean.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where `ocean-agent join` finds its join token, so that it need not sit in the process list. */
class JoinTokenSourceTest {
  @TempDir Path dir;

  private static InputStream stdin(String text) {
    return new ByteArrayInputStream(text.getBytes(StandardCharsets.UTF_8));
  }

  private static final InputStream NOTHING = stdin("");

  @Test
  void aDashReadsTheTokenFromStandardInput() {
    assertEquals("ocj_abc", JoinTokenSource.resolve("-", null, Map.of(), stdin("ocj_abc\n")));
  }

  @Test
  void aFileIsReadAndTrimmed() throws Exception {
    Path file = Files.writeString(dir.resolve("token"), "  ocj_file\n");
    assertEquals("ocj_file", JoinTokenSource.resolve(null, file, Map.of(), NOTHING));
  }

  @Test
  void theEnvironmentIsUsedWhenNoFlagIsGiven() {
    assertEquals(
        "ocj_env",
        JoinTokenSource.resolve(null, null, Map.of("OCEAN_JOIN_TOKEN", "ocj_env"), NOTHING));
    assertEquals(
        "ocj_flag",
        JoinTokenSource.resolve("ocj_flag", null, Map.of("OCEAN_JOIN_TOKEN", "ocj_env"), NOTHING));
  }

  @Test
  void missingEmptyOrDoubleSourcesNameTheFlag() throws Exception {
    String none =
        assertThrows(
                IllegalArgumentException.class,
                () -> JoinTokenSource.resolve(null, null, Map.of(), NOTHING))
            .getMessage();
    assertTrue(none.contains("--token-file FILE, --token - (standard input) or OCEAN_JOIN_TOKEN"));
    Path empty = Files.writeString(dir.resolve("empty"), "\n");
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> JoinTokenSource.resolve(null, empty, Map.of(), NOTHING))
            .getMessage()
            .contains("--token-file"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> JoinTokenSource.resolve("-", null, Map.of(), NOTHING))
            .getMessage()
            .contains("--token -"));
    assertTrue(
        assertThrows(
                IllegalArgumentException.class,
                () -> JoinTokenSource.resolve("ocj_x", empty, Map.of(), NOTHING))
            .getMessage()
            .contains("not both"));
    assertEquals(
        "cannot read --token-file " + dir.resolve("absent") + ": no such file",
        assertThrows(
                IllegalArgumentException.class,
                () -> JoinTokenSource.resolve(null, dir.resolve("absent"), Map.of(), NOTHING))
            .getMessage(),
        "the reason, not the path twice");
  }
}
