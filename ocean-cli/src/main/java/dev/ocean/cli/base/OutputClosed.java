package dev.ocean.cli.base;

/**
 * Standard output's reader went away ({@code ocean logs -f J | head -2}): the command ends at once,
 * silently, with 141 as a shell reports a process ended by SIGPIPE.
 */
public final class OutputClosed extends CliException {
  public static final int EXIT = 141;

  public OutputClosed() {
    super(EXIT, "standard output was closed");
  }
}
