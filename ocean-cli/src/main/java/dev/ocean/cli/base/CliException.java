package dev.ocean.cli.base;

/** A CLI-side failure with its exit code; the message is shown as one sentence. */
public class CliException extends RuntimeException {
  private final int exitCode;

  public CliException(int exitCode, String message) {
    super(message);
    this.exitCode = exitCode;
  }

  public int exitCode() {
    return exitCode;
  }
}
