package dev.ocean.cli.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

/** What users typed reaches the terminal as it is, never as something the terminal acts on. */
class TextTest {
  @Test
  void controlCharactersAndBidiOverridesAreShownEscaped() {
    assertEquals("a\\x1b[31mb", Text.safe("a\u001b[31mb"));
    // "evil<RLO>txt.pub" would show as "evilbup.txt" in a terminal
    assertEquals("evil\\u202etxt.pub", Text.safe("evil\u202etxt.pub"));
    assertEquals("x\\u2066y\\u2069", Text.safe("x\u2066y\u2069"));
    assertEquals("한국어-ключ-😀", Text.safe("한국어-ключ-😀"));
    // the Arabic letter mark reorders like U+200F; the rest print as nothing
    assertEquals(
        "\\u061c\\u200b\\u2060\\ufeff\\xad\\u115f\\u2028",
        Text.safe("\u061c\u200b\u2060\ufeff\u00ad\u115f\u2028"));
    // joiners stay: a family emoji and Persian words are made with them
    assertEquals("👨\u200d👩 می\u200cخواهم", Text.safe("👨\u200d👩 می\u200cخواهم"));
  }
}
