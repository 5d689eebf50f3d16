package dev.ocean.cli.base;

import java.io.PrintWriter;

/**
 * The {@code get} views: one {@code Label: value} line each, values lined up. Values are escaped
 * with {@link Text#safe} unless {@link Style} made them, like table cells.
 */
public final class Details {
  private static final int WIDTH = 15;
  private final PrintWriter out;

  public Details(PrintWriter out) {
    this.out = out;
  }

  /** Prints one line; each part is a value, concatenated without separators. */
  public Details line(String label, Object... parts) {
    // An empty label continues the line above: no colon of its own.
    StringBuilder b = new StringBuilder(label).append(label.isEmpty() ? ' ' : ':');
    b.append(" ".repeat(Math.max(1, WIDTH - b.length())));
    for (Object p : parts) {
      b.append(p == null ? "-" : p instanceof Styled st ? st.text() : Text.safe(String.valueOf(p)));
    }
    out.println(b.toString().stripTrailing());
    return this;
  }
}
