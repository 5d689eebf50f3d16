package dev.ocean.cli.base;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;

/**
 * A plain aligned text table: columns as wide as their widest cell, two spaces apart. Cells are
 * escaped with {@link Text#safe} unless {@link Style} made them.
 */
public final class Table {
  private final List<String> headers;
  private final List<List<String>> rows = new ArrayList<>();
  private final java.util.Set<Integer> hidden = new java.util.HashSet<>();

  public Table(String... headers) {
    this.headers = List.of(headers);
  }

  public Table row(Object... cells) {
    List<String> r = new ArrayList<>();
    for (Object c : cells) {
      r.add(c == null ? "-" : c instanceof Styled st ? st.text() : Text.safe(c.toString()));
    }
    rows.add(r);
    return this;
  }

  /** Leaves a column out when printing, so one row shape serves the narrow and wide views. */
  public Table hide(String header) {
    int i = headers.indexOf(header);
    if (i < 0) {
      throw new IllegalArgumentException("no column " + header);
    }
    hidden.add(i);
    return this;
  }

  public void print(PrintWriter out, Style style) {
    List<String> shown = visible(headers);
    int[] widths = new int[shown.size()];
    for (int i = 0; i < shown.size(); i++) {
      widths[i] = shown.get(i).length();
    }
    List<List<String>> shownRows = rows.stream().map(this::visible).toList();
    for (List<String> r : shownRows) {
      for (int i = 0; i < r.size(); i++) {
        widths[i] = Math.max(widths[i], Style.visibleLength(r.get(i)));
      }
    }
    out.println(style.bold(line(shown, widths)).text());
    for (List<String> r : shownRows) {
      out.println(line(r, widths));
    }
    out.flush();
  }

  private List<String> visible(List<String> cells) {
    List<String> v = new ArrayList<>();
    for (int i = 0; i < cells.size(); i++) {
      if (!hidden.contains(i)) {
        v.add(cells.get(i));
      }
    }
    return v;
  }

  private static String line(List<String> cells, int[] widths) {
    StringBuilder sb = new StringBuilder();
    for (int i = 0; i < cells.size(); i++) {
      String c = cells.get(i);
      sb.append(c);
      if (i < cells.size() - 1) {
        sb.append(" ".repeat(widths[i] - Style.visibleLength(c) + 2));
      }
    }
    return sb.toString().stripTrailing();
  }
}
