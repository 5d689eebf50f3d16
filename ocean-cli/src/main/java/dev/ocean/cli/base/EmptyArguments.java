package dev.ocean.cli.base;

import picocli.CommandLine;

/**
 * Refuses an empty single NAME-like argument ({@code ocean volume get ''}) before any request: it
 * would otherwise name the list route ({@code /volumes/}) or a route that does not exist.
 */
public final class EmptyArguments {
  private EmptyArguments() {}

  /** Runs the command line as picocli does by default, after the check. */
  public static int execute(CommandLine.ParseResult parsed) {
    for (CommandLine.ParseResult r = parsed; r != null; r = r.subcommand()) {
      for (CommandLine.Model.PositionalParamSpec p : r.matchedPositionals()) {
        if (!p.isMultiValue() && p.type() == String.class && "".equals(p.getValue())) {
          throw new CommandLine.ParameterException(
              r.commandSpec().commandLine(), p.paramLabel() + " must not be empty");
        }
      }
    }
    return new CommandLine.RunLast().execute(parsed);
  }
}
