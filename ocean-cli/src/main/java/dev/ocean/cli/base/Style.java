package dev.ocean.cli.base;

import org.fusesource.jansi.Ansi;

/**
 * Colours through jansi, switched off for pipes, {@code NO_COLOR} and {@code --no-color}. What it
 * returns is {@link Styled}: its input escaped by {@link Text#safe}, then coloured.
 */
public final class Style {
  private final boolean enabled;

  public Style(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  public Styled bold(String s) {
    String safe = Text.safe(s);
    return new Styled(enabled ? Ansi.ansi().bold().a(safe).reset().toString() : safe);
  }

  public Styled green(String s) {
    return color(s, Ansi.Color.GREEN);
  }

  public Styled yellow(String s) {
    return color(s, Ansi.Color.YELLOW);
  }

  public Styled red(String s) {
    return color(s, Ansi.Color.RED);
  }

  public Styled cyan(String s) {
    return color(s, Ansi.Color.CYAN);
  }

  /** Colours a state word by what it means to the user. */
  public Styled state(String s) {
    if (s == null) {
      return null;
    }
    return switch (s) {
      case "active", "approved", "succeeded", "running", "ready" -> green(s);
      case "pending", "assigned", "draining" -> yellow(s);
      case "rejected", "failed", "expired", "revoked", "disabled", "lost" -> red(s);
      default -> new Styled(Text.safe(s));
    };
  }

  private Styled color(String s, Ansi.Color c) {
    String safe = Text.safe(s);
    return new Styled(enabled ? Ansi.ansi().fg(c).a(safe).reset().toString() : safe);
  }

  /** Length on screen, not counting escape sequences. */
  public static int visibleLength(String s) {
    String plain = s.replaceAll("\u001B\\[[;\\d]*m", "");
    int columns = 0;
    for (int i = 0; i < plain.length(); ) {
      int cp = plain.codePointAt(i);
      columns += wide(cp) ? 2 : Character.getType(cp) == Character.NON_SPACING_MARK ? 0 : 1;
      i += Character.charCount(cp);
    }
    return columns;
  }

  /** East Asian wide and full-width characters take two terminal columns (CJK, kana, hangul). */
  private static boolean wide(int cp) {
    return (cp >= 0x1100 && cp <= 0x115F)
        || (cp >= 0x2E80 && cp <= 0x303E)
        || (cp >= 0x3041 && cp <= 0x33FF)
        || (cp >= 0x3400 && cp <= 0x4DBF)
        || (cp >= 0x4E00 && cp <= 0x9FFF)
        || (cp >= 0xA000 && cp <= 0xA4CF)
        || (cp >= 0xAC00 && cp <= 0xD7A3)
        || (cp >= 0xF900 && cp <= 0xFAFF)
        || (cp >= 0xFE30 && cp <= 0xFE4F)
        || (cp >= 0xFF00 && cp <= 0xFF60)
        || (cp >= 0xFFE0 && cp <= 0xFFE6)
        || (cp >= 0x1F300 && cp <= 0x1F64F)
        || (cp >= 0x1F900 && cp <= 0x1F9FF)
        || (cp >= 0x20000 && cp <= 0x3FFFD);
  }
}
