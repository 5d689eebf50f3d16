package dev.ocean.cli;

import dev.ocean.cli.base.Argv;
import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Marks;

/** Entry point of {@code ocean}; the only place that calls {@code System.exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws java.io.IOException {
    Marks.mark("main");
    if (Boolean.getBoolean("ocean.aot.training")) {
      AotTraining.run();
      return;
    }
    CliContext ctx = CliContext.system();
    int code;
    try {
      code = Cli.run(ctx, Argv.recover(args));
    } catch (Argv.Undecodable e) {
      ctx.err().println("Error: " + e.getMessage() + ".");
      ctx.err().flush();
      code = ExitCodes.USAGE;
    }
    Marks.mark("done");
    Marks.print(ctx.err());
    System.exit(StdoutCheck.exitCode(ctx, code));
  }
}
