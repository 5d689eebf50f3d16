package dev.ocean.cli;

import dev.ocean.cli.base.CliContext;

/** Entry point of {@code ocean}; the only place that calls {@code System.exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) throws java.io.IOException {
    if (Boolean.getBoolean("ocean.aot.training")) {
      AotTraining.run();
      return;
    }
    System.exit(Cli.run(CliContext.system(), args));
  }
}
