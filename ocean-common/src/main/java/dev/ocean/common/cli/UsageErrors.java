package dev.ocean.common.cli;

import java.util.List;
import java.util.Optional;
import picocli.CommandLine;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * Words an argument picocli could not place as one sentence naming it, the same for {@code ocean},
 * {@code ocean-agent} and {@code ocean-server}: not picocli's "Unmatched argument at index 3",
 * whose index counts words the user did not type as this command's (qa11 T11).
 */
public final class UsageErrors {
  private UsageErrors() {}

  /**
   * For an unmatched word: {@code 'ocean job' has no command 'x'; try one of …} where a subcommand
   * goes, else {@code `ocean job get` takes one JOB_ID; unexpected '2'}; empty for other errors and
   * unknown options (picocli's "Unknown option: '--x'" already names them).
   */
  public static Optional<String> unmatched(CommandLine.ParameterException e) {
    if (!(e instanceof CommandLine.UnmatchedArgumentException u)) {
      return Optional.empty();
    }
    List<String> words = u.getUnmatched().stream().filter(a -> !a.startsWith("-")).toList();
    if (words.isEmpty() || u.getUnmatched().getFirst().startsWith("-")) {
      return Optional.empty();
    }
    CommandLine c = e.getCommandLine();
    String name = c.getCommandSpec().qualifiedName();
    if (!c.getSubcommands().isEmpty()) {
      return Optional.of(
          "'"
              + name
              + "' has no command '"
              + words.getFirst()
              + "'; try one of "
              + String.join(", ", c.getSubcommands().keySet()));
    }
    List<PositionalParamSpec> params =
        c.getCommandSpec().positionalParameters().stream().filter(p -> !p.hidden()).toList();
    return Optional.of(
        "`"
            + name
            + "` takes "
            + takes(params)
            + "; unexpected "
            + String.join(", ", words.stream().map(w -> "'" + w + "'").toList()));
  }

  private static String takes(List<PositionalParamSpec> params) {
    if (params.isEmpty()) {
      return "no arguments";
    }
    if (params.size() == 1) {
      PositionalParamSpec p = params.getFirst();
      int max = p.arity().max();
      String count = max == 1 ? "one " : max + " ";
      return (p.arity().min() < max ? "at most " : "") + count + p.paramLabel();
    }
    return String.join(" ", params.stream().map(PositionalParamSpec::paramLabel).toList());
  }
}
