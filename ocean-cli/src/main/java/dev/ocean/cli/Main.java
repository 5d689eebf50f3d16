package dev.ocean.cli;

import dev.ocean.cli.base.CliContext;
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
    int code = Cli.run(ctx, args);
    Marks.mark("done");
    Marks.print(ctx.err());
    System.exit(code);
  }
}
