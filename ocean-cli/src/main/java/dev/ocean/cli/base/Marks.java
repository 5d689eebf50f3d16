package dev.ocean.cli.base;

import java.io.PrintWriter;

/**
 * Start-up marks for measuring where a command's time goes: with {@code OCEAN_STARTUP_MARKS} set,
 * each mark's milliseconds since {@code main} (and the JVM's own start before it) are printed on
 * stderr as the command ends. Costs nothing otherwise.
 */
public final class Marks {
  private static final boolean ON = System.getenv("OCEAN_STARTUP_MARKS") != null;
  private static final long START = System.nanoTime();
  private static final StringBuilder LOG = new StringBuilder();

  private Marks() {}

  /** Notes that the run got to {@code what}. */
  public static void mark(String what) {
    if (ON) {
      LOG.append(String.format("%8.1f ms  %s%n", (System.nanoTime() - START) / 1e6, what));
    }
  }

  /** Prints the marks, when asked for, with the JVM's start-up before {@code main}. */
  public static void print(PrintWriter err) {
    if (ON) {
      long sinceJvm = java.lang.management.ManagementFactory.getRuntimeMXBean().getUptime();
      long sinceMain = (System.nanoTime() - START) / 1_000_000;
      err.printf(
          "startup marks (the JVM started about %d ms before main):%n", sinceJvm - sinceMain);
      err.print(LOG);
      err.flush();
    }
  }
}
