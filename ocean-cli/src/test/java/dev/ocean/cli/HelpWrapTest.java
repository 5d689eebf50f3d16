package dev.ocean.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.base.CliContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** picocli breaks a long help line after '.', which broke {@code ~/.config} in two. */
class HelpWrapTest {
  @Test
  void theConfigPathInHelpStaysWholeSoItCanBeCopied() {
    StringWriter out = new StringWriter();
    CliContext ctx =
        new CliContext(
            Map.of("HOME", "/nonexistent"),
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(new StringWriter()),
            null,
            false);
    assertEquals(0, Cli.run(ctx, new String[] {"--help"}));
    assertTrue(out.toString().contains(" ~/.config\n"), out.toString());
  }
}
