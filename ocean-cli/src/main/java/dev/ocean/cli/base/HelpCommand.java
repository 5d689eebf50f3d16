package dev.ocean.cli.base;

import java.io.PrintWriter;
import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Help;
import picocli.CommandLine.Parameters;

/**
 * {@code ocean help [COMMAND...]}: the usage of a command at any depth, e.g. {@code ocean help job
 * submit} (picocli's own help command looks one level down only).
 */
@Command(
    name = "help",
    helpCommand = true,
    description = "Show the help of a command, e.g. ocean help job submit.")
public final class HelpCommand implements CommandLine.IHelpCommandInitializable2, Runnable {
  @Parameters(paramLabel = "COMMAND", arity = "0..*", description = "The command, e.g. job submit.")
  List<String> names = new ArrayList<>();

  private CommandLine self;
  private PrintWriter out;
  private Help.ColorScheme colors;

  @Override
  public void init(
      CommandLine helpCommandLine,
      Help.ColorScheme colorScheme,
      PrintWriter outWriter,
      PrintWriter errWriter) {
    this.self = helpCommandLine;
    this.colors = colorScheme;
    this.out = outWriter;
  }

  @Override
  public void run() {
    CommandLine target = self.getParent();
    for (String name : names) {
      CommandLine sub = target.getSubcommands().get(name);
      if (sub == null) {
        // "See 'ocean job --help'" then points at the commands there are, not at help's own help
        throw new CommandLine.ParameterException(
            target,
            "'"
                + target.getCommandSpec().qualifiedName()
                + "' has no command '"
                + name
                + "'; try one of "
                + String.join(", ", target.getSubcommands().keySet()));
      }
      target = sub;
    }
    target.usage(out, colors);
    out.flush();
  }
}
