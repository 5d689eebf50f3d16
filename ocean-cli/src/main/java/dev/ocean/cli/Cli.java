package dev.ocean.cli;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.Errors;
import dev.ocean.cli.base.GlobalOptions;
import java.util.Arrays;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;

/**
 * Builds and runs the {@code ocean} command line: one factory that hands every command its context
 * and the run's global options, one exception handler that prints a single sentence (a stack trace
 * only with {@code -v}), one exit-code map.
 */
public final class Cli {
  private Cli() {}

  public static int run(CliContext ctx, String... args) {
    GlobalOptions global = new GlobalOptions();
    CommandLine cmd = new CommandLine(new OceanCommand(global), new Factory(ctx, global));
    cmd.setOut(ctx.out());
    cmd.setErr(ctx.err());
    CommandLine.ITypeConverter<Integer> toInt = v -> whole(v, Integer::parseInt);
    CommandLine.ITypeConverter<Long> toLong = v -> whole(v, Long::parseLong);
    cmd.registerConverter(Integer.class, toInt);
    cmd.registerConverter(Integer.TYPE, toInt);
    cmd.registerConverter(Long.class, toLong);
    cmd.registerConverter(Long.TYPE, toLong);
    cmd.registerConverter(GlobalOptions.Output.class, Cli::output);
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) ->
            Errors.print(
                e,
                commandLine.getCommand() instanceof BaseCommand b ? b.flagsByField() : Map.of(),
                global.verbose,
                commandLine.getErr()));
    cmd.setParameterExceptionHandler(Errors::printUsage);
    int code = cmd.execute(args);
    ctx.out().flush();
    ctx.err().flush();
    return code;
  }

  private static <T> T whole(String value, java.util.function.Function<String, T> parse) {
    try {
      return parse.apply(value.strip());
    } catch (NumberFormatException e) {
      throw new CommandLine.TypeConversionException("'" + value + "' is not a whole number");
    }
  }

  private static GlobalOptions.Output output(String value) {
    try {
      return GlobalOptions.Output.valueOf(value);
    } catch (IllegalArgumentException e) {
      throw new CommandLine.TypeConversionException(
          "'"
              + value
              + "' is not one of "
              + Arrays.stream(GlobalOptions.Output.values())
                  .map(Enum::name)
                  .collect(Collectors.joining(", ")));
    }
  }

  /** Creates commands and gives each its context and the run's global options. */
  private record Factory(CliContext ctx, GlobalOptions global) implements CommandLine.IFactory {
    @Override
    public <K> K create(Class<K> cls) throws Exception {
      K obj = CommandLine.defaultFactory().create(cls);
      if (obj instanceof BaseCommand b) {
        b.context(ctx, global);
      }
      return obj;
    }
  }
}
