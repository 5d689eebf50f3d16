package dev.ocean.common.validation;

/**
 * Whole numbers as people type them on a command line or in a URL: ASCII digits with an optional
 * sign. {@link Integer#parseInt} also takes other scripts' digits ({@code ١٠} is 10), so a value
 * that reads as something else on the screen would be taken silently.
 */
public final class WholeNumbers {
  private WholeNumbers() {}

  /** {@code text} as an int; {@link NumberFormatException} unless it is ASCII digits in range. */
  public static int parseInt(String text) {
    return Integer.parseInt(ascii(text));
  }

  /** {@code text} as a long; {@link NumberFormatException} unless it is ASCII digits in range. */
  public static long parseLong(String text) {
    return Long.parseLong(ascii(text));
  }

  /** Whether {@code text} is an optional sign and ASCII digits, whatever its size. */
  public static boolean looksWhole(String text) {
    if (text == null || text.isEmpty()) {
      return false;
    }
    int start = text.charAt(0) == '+' || text.charAt(0) == '-' ? 1 : 0;
    if (start == text.length()) {
      return false;
    }
    for (int i = start; i < text.length(); i++) {
      char c = text.charAt(i);
      if (c < '0' || c > '9') {
        return false;
      }
    }
    return true;
  }

  private static String ascii(String text) {
    if (!looksWhole(text)) {
      throw new NumberFormatException("not a whole number: " + text);
    }
    return text;
  }
}
