package dev.ocean.cli.node;

import java.io.PrintWriter;
import java.util.Locale;
import java.util.function.LongConsumer;

/**
 * An upload's progress on stderr: a bar redrawn in place on a terminal, one plain line otherwise
 * (logs and pipes get no carriage returns), nothing when quiet.
 */
final class Progress implements LongConsumer {
  private static final int WIDTH = 30;
  private final PrintWriter err;
  private final boolean bar;
  private final String what;
  private final long total;
  private long lastDraw;
  private boolean done;

  Progress(PrintWriter err, boolean terminal, boolean quiet, String what, long total) {
    this.err = quiet ? null : err;
    this.bar = terminal;
    this.what = what;
    this.total = Math.max(1, total);
    if (this.err != null && !bar) {
      err.println(what + " (" + mib(total) + ")...");
      err.flush();
    }
  }

  @Override
  public void accept(long sent) {
    if (err == null || !bar || done) {
      return;
    }
    long now = System.nanoTime();
    boolean finished = sent >= total;
    if (!finished && now - lastDraw < 100_000_000L) {
      return;
    }
    lastDraw = now;
    int filled = (int) (WIDTH * Math.min(sent, total) / total);
    err.print(
        "\r"
            + what
            + " ["
            + "#".repeat(filled)
            + " ".repeat(WIDTH - filled)
            + "] "
            + String.format(Locale.ROOT, "%3d%%", 100 * Math.min(sent, total) / total)
            + " "
            + mib(sent)
            + "/"
            + mib(total));
    if (finished) {
      err.println();
      done = true;
    }
    err.flush();
  }

  static String mib(long bytes) {
    return String.format(Locale.ROOT, "%.1f MiB", bytes / 1048576.0);
  }
}
