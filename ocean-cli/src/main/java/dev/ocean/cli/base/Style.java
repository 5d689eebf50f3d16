package dev.ocean.cli.base;

import org.fusesource.jansi.Ansi;

/** Colours through jansi, switched off for pipes, {@code NO_COLOR} and {@code --no-color}. */
public final class Style {
  private final boolean enabled;

  public Style(boolean enabled) {
    this.enabled = enabled;
  }

  public boolean enabled() {
    return enabled;
  }

  public String bold(String s) {
    return enabled ? Ansi.ansi().bold().a(s).reset().toString() : s;
  }

  public String green(String s) {
    return color(s, Ansi.Color.GREEN);
  }

  public String yellow(String s) {
    return color(s, Ansi.Color.YELLOW);
  }

  public String red(String s) {
    return color(s, Ansi.Color.RED);
  }

  public String cyan(String s) {
    return color(s, Ansi.Color.CYAN);
  }

  /** Colours a state word by what it means to the user. */
  public String state(String s) {
    if (s == null) {
      return null;
    }
    return switch (s) {
      case "active", "approved", "succeeded", "running", "ready" -> green(s);
      case "pending", "assigned", "draining" -> yellow(s);
      case "rejected", "failed", "expired", "revoked", "disabled", "lost" -> red(s);
      default -> s;
    };
  }

  private String color(String s, Ansi.Color c) {
    return enabled ? Ansi.ansi().fg(c).a(s).reset().toString() : s;
  }

  /** Length on screen, not counting escape sequences. */
  public static int visibleLength(String s) {
    return s.replaceAll("\u001B\\[[;\\d]*m", "").length();
  }
}
