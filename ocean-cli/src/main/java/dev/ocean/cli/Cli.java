package dev.ocean.cli;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.client.OceanApiException;
import java.io.PrintWriter;
import picocli.CommandLine;

/**
 * Builds and runs the {@code ocean} command line: one factory that hands every command its context,
 * one exception handler that prints a single sentence (a stack trace only with {@code -v}), one
 * exit-code map.
 */
public final class Cli {
  private Cli() {}

  public static int run(CliContext ctx, String... args) {
    CommandLine cmd = new CommandLine(new OceanCommand(), new Factory(ctx));
    cmd.setOut(ctx.out());
    cmd.setErr(ctx.err());
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) -> {
          PrintWriter err = commandLine.getErr();
          err.println("Error: " + message(e));
          if (parseResult.hasMatchedOption("-v")
              || parseResult.hasMatchedOption("--verbose")
              || verbose(parseResult)) {
            if (e instanceof OceanApiException api) {
              err.println("problem: " + api.problem());
            }
            e.printStackTrace(err);
          }
          err.flush();
          return ExitCodes.of(e);
        });
    cmd.setParameterExceptionHandler(
        (e, args1) -> {
          PrintWriter err = e.getCommandLine().getErr();
          err.println("Error: " + e.getMessage());
          err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          err.flush();
          return ExitCodes.USAGE;
        });
    int code = cmd.execute(args);
    ctx.out().flush();
    ctx.err().flush();
    return code;
  }

  private static boolean verbose(CommandLine.ParseResult pr) {
    CommandLine.ParseResult sub = pr;
    while (sub.hasSubcommand()) {
      sub = sub.subcommand();
    }
    return sub.hasMatchedOption("-v");
  }

  private static String message(Exception e) {
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      m = e.getClass().getSimpleName();
    }
    m = m.strip();
    return m.endsWith(".") || m.endsWith("?") ? m : m + ".";
  }

  /** Creates commands and gives each its context. */
  private record Factory(CliContext ctx) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K obj = CommandLine.defaultFactory().create(cls);
      if (obj instanceof BaseCommand b) {
        b.context(ctx);
      }
      return obj;
    }
  }
}
