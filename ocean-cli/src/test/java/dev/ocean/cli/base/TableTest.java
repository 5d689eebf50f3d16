package dev.ocean.cli.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Columns line up on a terminal, where CJK characters take two columns each. */
class TableTest {
  @Test
  void wideCharactersTakeTwoColumnsSoTheNextColumnLinesUp() {
    StringWriter s = new StringWriter();
    new Table("REASON", "NOTE")
        .row("日本語の理由", "a")
        .row("plain", "b")
        .print(new PrintWriter(s, true), new Style(false));
    List<String> lines = s.toString().lines().toList();
    // "日本語の理由" is 6 characters but 12 columns: NOTE starts at column 14 on every line
    assertEquals(14, lines.get(0).indexOf("NOTE"));
    assertEquals(14, columnOf(lines.get(1), 'a'));
    assertEquals(14, columnOf(lines.get(2), 'b'));
  }

  private static int columnOf(String line, char c) {
    String before = line.substring(0, line.lastIndexOf(c));
    return Style.visibleLength(before);
  }
}
