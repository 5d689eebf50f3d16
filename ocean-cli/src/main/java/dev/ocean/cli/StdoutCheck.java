package dev.ocean.cli;

import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.OutputClosed;
import dev.ocean.cli.base.ReaderWatch;

/**
 * Output that could not be written is a failure, as with {@code cat} and {@code ls}: {@code ocean
 * -o json job list > jobs.json} on a full disk must not leave a cut file and report success (qa7
 * K17): exit 1 with one sentence. A reader that went away on purpose ({@code ocean job list | head
 * -1}) is no failure: the command keeps its own exit code, as it did before, so {@code set -o
 * pipefail} scripts do not fail at random on when head exited (a follow, which would stream into
 * nothing, ends with 141 instead; see {@link OutputClosed}).
 */
final class StdoutCheck {
  private StdoutCheck() {}

  static int exitCode(CliContext ctx, int code) {
    if (code != 0 || !ctx.out().checkError() || ReaderWatch.readerGone()) {
      return code;
    }
    ctx.err().println("Error: cannot write standard output.");
    ctx.err().flush();
    return ExitCodes.ERROR;
  }
}
