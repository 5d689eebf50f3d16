package dev.ocean.cli.base;

/**
 * Makes text from users safe for a terminal: control characters (C0, DEL and C1) and invisible or
 * reordering characters ({@link #invisible}) are shown as escapes such as {@code \x1b} or {@code
 * \u202e}, so a name or reason can never move the cursor, clear the screen, retitle the window or
 * read backwards. Tables, detail views, messages and errors all print through this.
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

  /**
   * Whether a terminal must see {@code cp} as an escape: C0, DEL and C1 controls; every format
   * character (Unicode Cf: the bidirectional marks, overrides and isolates that show text in
   * another order than it is, U+061C, zero-width spaces, U+FEFF, the soft hyphen); line and
   * paragraph separators; and the fillers that print as nothing. The zero-width (non-)joiners are
   * kept: emoji sequences and Persian or Indic words need them, and they move nothing.
   */
  public static boolean invisible(int cp) {
    if (cp < 0x20 || (cp >= 0x7f && cp <= 0x9f)) {
      return true;
    }
    if (cp == 0x200c || cp == 0x200d) {
      return false;
    }
    int type = Character.getType(cp);
    return type == Character.FORMAT
        || type == Character.LINE_SEPARATOR
        || type == Character.PARAGRAPH_SEPARATOR
        || cp == 0x115f
        || cp == 0x1160
        || cp == 0x3164
        || cp == 0xffa0;
  }

  private static String escape(String s, boolean keepNewlines) {
    if (s == null) {
      return null;
    }
    StringBuilder b = null;
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      int n = Character.charCount(cp);
      if (invisible(cp) && !(keepNewlines && cp == '\n')) {
        if (b == null) {
          b = new StringBuilder(s.length() + 8).append(s, 0, i);
        }
        b.append(
            cp <= 0xff
                ? String.format("\\x%02x", cp)
                : cp <= 0xffff ? String.format("\\u%04x", cp) : String.format("\\U%08x", cp));
      } else if (b != null) {
        b.appendCodePoint(cp);
      }
      i += n;
    }
    return b == null ? s : b.toString();
  }
}
