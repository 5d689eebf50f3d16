package dev.ocean.cli.base;

import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** A command that only groups subcommands; run alone, it is a usage error. */
public abstract class Group implements Runnable {
  @Spec protected CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(
        spec.commandLine(),
        "'"
            + spec.qualifiedName()
            + "' needs a subcommand: "
            + String.join(
                ", ",
                spec.subcommands().entrySet().stream()
                    .filter(e -> !e.getValue().getCommandSpec().usageMessage().hidden())
                    .map(java.util.Map.Entry::getKey)
                    .toList()));
  }
}
