package dev.ocean.agent.cmd;

import dev.ocean.common.Version;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.validation.WholeNumbers;
import java.io.PrintWriter;
import java.util.Map;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** The root {@code ocean-agent} command. */
@Command(
    name = "ocean-agent",
    mixinStandardHelpOptions = true,
    resourceBundle = "dev.ocean.common.HelpTexts",
    versionProvider = AgentCommand.VersionProvider.class,
    description = "The Ocean node agent: joins a node to the cluster and runs its work.",
    subcommands = {
      JoinCommand.class,
      RunCommand.class,
      StatusCommand.class,
      LeaveCommand.class,
      GpusCommand.class,
      CommandLine.HelpCommand.class
    })
public final class AgentCommand implements Runnable {
  @Spec CommandSpec spec;

  @Override
  public void run() {
    throw new CommandLine.ParameterException(spec.commandLine(), "ocean-agent needs a subcommand");
  }

  /** Runs the agent CLI with this environment; returns the exit code. */
  public static int run(Map<String, String> env, String... args) {
    CommandLine cmd =
        new CommandLine(
            new AgentCommand(),
            new CommandLine.IFactory() {
              @Override
              public <K> K create(Class<K> cls) throws Exception {
                K k = CommandLine.defaultFactory().create(cls);
                if (k instanceof AgentSubcommand s) {
                  s.env = env;
                }
                return k;
              }
            });
    CommandLine.ITypeConverter<Integer> whole =
        v -> {
          try {
            return WholeNumbers.parseInt(v.strip());
          } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + v + "' is not a whole number");
          }
        };
    cmd.registerConverter(Integer.class, whole);
    cmd.registerConverter(Integer.TYPE, whole);
    cmd.setParameterExceptionHandler(
        (e, typed) -> {
          PrintWriter err = e.getCommandLine().getErr();
          String m = e.getMessage();
          if (e.getCause() instanceof CommandLine.TypeConversionException
              && e.getArgSpec() instanceof CommandLine.Model.OptionSpec o) {
            m = o.longestName() + ": " + e.getCause().getMessage();
          } else {
            m = dev.ocean.common.cli.UsageErrors.unmatched(e).orElse(m);
          }
          err.println("Error: " + sentence(m));
          err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          err.flush();
          return 2;
        });
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("Error: " + message(e));
          if (System.getenv("OCEAN_AGENT_DEBUG") != null) {
            e.printStackTrace(err);
          }
          err.flush();
          if (e instanceof OceanApiException api) {
            return switch (api.status()) {
              case 400 -> 2;
              case 401, 403 -> 4;
              case 404 -> 3;
              case 409 -> 5;
              default -> 1;
            };
          }
          return 1;
        });
    return cmd.execute(args);
  }

  /**
   * The error as one sentence in the words of the command line: the server names JSON fields
   * ({@code joinToken}), the user typed flags ({@code --token}).
   */
  private static String message(Exception e) {
    String m = String.valueOf(e.getMessage()).strip();
    if (e instanceof OceanApiException api && api.problem().field() != null) {
      for (Map.Entry<String, String> f : FLAGS.entrySet()) {
        m = m.replaceAll("(?<![A-Za-z0-9_-])" + f.getKey() + "(?![A-Za-z0-9_])", f.getValue());
      }
    }
    m = m.replaceAll("\\p{Cntrl}", "?");
    return sentence(m);
  }

  /** {@code m} ending as a sentence: a full stop unless it ends in one or a question mark. */
  static String sentence(String m) {
    return m.endsWith(".") || m.endsWith("?") ? m : m + ".";
  }

  /** The join request's JSON fields and the flags that set them. */
  private static final Map<String, String> FLAGS = Map.of("joinToken", "--token");

  /** Prints the release version for {@code --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {
        "ocean-agent " + Version.VERSION + " (agent protocol " + Version.AGENT_PROTOCOL + ")"
      };
    }
  }
}
