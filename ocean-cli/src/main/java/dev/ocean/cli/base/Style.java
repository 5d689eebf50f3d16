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
    return s.replaceAll("\u001B\\[[;\\d]*m", "").length();
  }
}
