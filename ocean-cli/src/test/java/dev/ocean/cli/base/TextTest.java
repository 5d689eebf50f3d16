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
  }
}
