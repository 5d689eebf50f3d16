package dev.ocean.cli;

import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.OutputClosed;
import dev.ocean.cli.base.ReaderWatch;

/**
 * Output that could not be written is a failure, as with {@code cat} and {@code ls}: {@code ocean
 * -o json job list > jobs.json} on a full disk must not leave a cut file and report success (qa7
 * K17). A reader that went away ({@code | head -1} before the last line) ends with 141, as SIGPIPE
 * would end the command; any other failure is exit 1 with one sentence.
 */
final class StdoutCheck {
  private StdoutCheck() {}

  static int exitCode(CliContext ctx, int code) {
    if (code != 0 || !ctx.out().checkError()) {
      return code;
    }
    if (ReaderWatch.readerGone()) {
      return OutputClosed.EXIT;
    }
    ctx.err().println("Error: cannot write standard output.");
    ctx.err().flush();
    return ExitCodes.ERROR;
  }
}
