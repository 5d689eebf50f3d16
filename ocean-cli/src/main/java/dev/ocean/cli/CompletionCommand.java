package dev.ocean.cli;

import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Parameters;
import picocli.CommandLine.Spec;

/** Prints a shell completion script; zsh loads the bash one through bashcompinit. */
@Command(
    name = "completion",
    description = "Print a completion script: source <(ocean completion bash).")
public final class CompletionCommand implements java.util.concurrent.Callable<Integer> {
  @Spec CommandSpec spec;

  @Parameters(paramLabel = "SHELL", description = "bash or zsh")
  String shell;

  @Override
  public Integer call() {
    CommandLine root = spec.root().commandLine();
    String script = AutoComplete.bash("ocean", root);
    switch (shell) {
      case "bash" -> spec.commandLine().getOut().print(script);
      case "zsh" ->
          spec.commandLine()
              .getOut()
              .print(
                  "autoload -U +X compinit && compinit\nautoload -U +X bashcompinit && bashcompinit\n"
                      + script);
      default ->
          throw new CommandLine.ParameterException(
              spec.commandLine(), "SHELL must be bash or zsh, not '" + shell + "'");
    }
    spec.commandLine().getOut().flush();
    return 0;
  }
}
