package dev.ocean.cli.base;

/**
 * Makes text from users safe for a terminal: control characters (C0, DEL and C1) are shown as
 * escapes such as {@code \x1b}, so a name or reason can never move the cursor, clear the screen or
 * retitle the window. Tables, detail views, messages and errors all print through this.
 */
public final class Text {
  private Text() {}

  /** A count and its noun, singular for one: {@code 1 day}, {@code 7 days}. */
  public static String count(long n, String noun) {
    return n + " " + noun + (n == 1 ? "" : "s");
  }

  /** Escapes every control character. */
  public static String safe(String s) {
    return escape(s, false);
  }

  /** Escapes every control character except line breaks, for messages of several lines. */
  public static String safeLines(String s) {
    return escape(s, true);
  }

  private static String escape(String s, boolean keepNewlines) {
    if (s == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      // C0 and C1 controls, and the bidirectional overrides and isolates that make a terminal
      // show text in another order than it is (a file name read backwards)
      boolean control =
          c < 0x20
              || (c >= 0x7f && c <= 0x9f)
              || (c >= 0x202a && c <= 0x202e)
              || (c >= 0x2066 && c <= 0x2069)
              || c == 0x200e
              || c == 0x200f;
      if (control && !(keepNewlines && c == '\n')) {
        if (b == null) {
          b = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        b.append(c <= 0xff ? String.format("\\x%02x", (int) c) : String.format("\\u%04x", (int) c));
      } else if (b != null) {
        b.append(c);
      }
    }
    return b == null ? s : b.toString();
  }
}
