package dev.ocean.cli;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.Errors;
import dev.ocean.cli.base.GlobalOptions;
import dev.ocean.cli.base.Marks;
import dev.ocean.cli.job.JobCommand;
import dev.ocean.common.validation.WholeNumbers;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Model.OptionSpec;

/**
 * Builds and runs the {@code ocean} command line: one factory that hands every command its context
 * and the run's global options, one exception handler that prints a single sentence (a stack trace
 * only with {@code -v}), one exit-code map.
 */
public final class Cli {
  private Cli() {}

  public static int run(CliContext ctx, String... args) {
    GlobalOptions global = new GlobalOptions();
    CommandLine cmd = commandLine(new Factory(ctx, global), global, args);
    alignSynopses(cmd);
    Marks.mark("command line built");
    cmd.setOut(ctx.out());
    cmd.setErr(ctx.err());
    converters(cmd);
    cmd.setExecutionExceptionHandler(
        (e, commandLine, parseResult) ->
            e instanceof dev.ocean.cli.base.OutputClosed
                ? dev.ocean.cli.base.OutputClosed.EXIT
                : Errors.print(
                    e,
                    commandLine.getCommand() instanceof BaseCommand b ? b.flagsByField() : Map.of(),
                    global.verbose,
                    commandLine.getErr()));
    cmd.setParameterExceptionHandler(Errors::printUsage);
    cmd.setExecutionStrategy(dev.ocean.cli.base.EmptyArguments::execute);
    Marks.mark("handlers set");
    int code = cmd.execute(args);
    ctx.out().flush();
    ctx.err().flush();
    return code;
  }

  /**
   * What a command line asks for, without running it: the command's qualified name ({@code ocean
   * job list}), the options typed at any depth (by their longest name), and whether it asks for
   * help or the version. Null when it does not parse: running it prints a usage error.
   */
  public static Parsed parse(String... args) {
    GlobalOptions global = new GlobalOptions();
    CommandLine cmd = commandLine(new Factory(null, global), global, args);
    converters(cmd);
    CommandLine.ParseResult result;
    try {
      result = cmd.parseArgs(args);
    } catch (CommandLine.ParameterException e) {
      return null;
    }
    java.util.Set<String> options = new java.util.HashSet<>();
    boolean help = false;
    CommandLine.ParseResult leaf = result;
    for (CommandLine.ParseResult r = result; r != null; r = r.subcommand()) {
      r.matchedOptions().forEach(o -> options.add(o.longestName()));
      help |= r.isUsageHelpRequested() || r.isVersionHelpRequested();
      leaf = r;
    }
    return new Parsed(
        leaf.commandSpec().qualifiedName(),
        java.util.Set.copyOf(options),
        help,
        global.output == GlobalOptions.Output.json);
  }

  /** A parsed command line: see {@link #parse}; {@code json}: it asks for {@code -o json}. */
  public record Parsed(String command, java.util.Set<String> options, boolean help, boolean json) {}

  /**
   * A long command name ({@code ocean admin quota-request approve}) still wraps its usage line
   * under its first option, as every shorter one does, not at picocli's fallback indent.
   */
  private static void alignSynopses(CommandLine cmd) {
    cmd.getCommandSpec().usageMessage().synopsisAutoIndentThreshold(0.6);
    cmd.getSubcommands().values().forEach(Cli::alignSynopses);
  }

  private static void converters(CommandLine cmd) {
    CommandLine.ITypeConverter<Integer> toInt = v -> whole(v, WholeNumbers::parseInt);
    CommandLine.ITypeConverter<Long> toLong = v -> whole(v, WholeNumbers::parseLong);
    cmd.registerConverter(Integer.class, toInt);
    cmd.registerConverter(Integer.TYPE, toInt);
    cmd.registerConverter(Long.class, toLong);
    cmd.registerConverter(Long.TYPE, toLong);
    cmd.registerConverter(GlobalOptions.Output.class, Cli::output);
  }

  /** The whole {@code ocean} command tree, as help and completion see it. */
  public static CommandLine tree() {
    GlobalOptions global = new GlobalOptions();
    return commandLine(new Factory(null, global), global);
  }

  /**
   * The {@code ocean} command with the subcommand that {@code args} name, or with all of them when
   * the arguments name none (help, completion, a typo that deserves suggestions).
   */
  private static CommandLine commandLine(Factory factory, GlobalOptions global, String... args) {
    CommandLine cmd = new CommandLine(new OceanCommand(global), factory);
    String word = commandWord(cmd.getCommandSpec(), args);
    if (word == null || !word.isEmpty()) {
      String next = word == null ? null : nextWord(word, args);
      for (Class<?> sub : OceanCommand.COMMANDS) {
        String name = name(sub);
        if (word == null || word.equals(name)) {
          cmd.addSubcommand(name, group(sub, next, factory));
        }
      }
      if (cmd.getSubcommands().isEmpty()) {
        return commandLine(factory, global);
      }
    }
    return cmd;
  }

  /**
   * The command {@code cls}; for a group that lists its subcommands in {@link #LAZY_GROUPS}, with
   * only the one named {@code word}, or all of them when it names none.
   */
  private static CommandLine group(Class<?> cls, String word, Factory factory) {
    CommandLine cmd = new CommandLine(cls, factory);
    List<Class<?>> subs = LAZY_GROUPS.get(cls);
    if (subs != null) {
      boolean named = word != null && subs.stream().anyMatch(s -> name(s).equals(word));
      for (Class<?> sub : subs) {
        if (!named || name(sub).equals(word)) {
          cmd.addSubcommand(name(sub), new CommandLine(sub, factory));
        }
      }
    }
    return cmd;
  }

  /**
   * Groups whose subcommands are listed here rather than in their annotation, so that a command
   * line builds only the one it names: picocli reflects over every class it is given.
   */
  private static final Map<Class<?>, List<Class<?>>> LAZY_GROUPS =
      Map.of(JobCommand.class, JobCommand.COMMANDS);

  private static String name(Class<?> cls) {
    return cls.getAnnotation(CommandLine.Command.class).name();
  }

  /**
   * The word right after the command word {@code word} in {@code args}: the subcommand of a group.
   * Null when an option comes first (it may take a value) or it asks for help.
   */
  static String nextWord(String word, String... args) {
    for (int i = 0; i < args.length - 1; i++) {
      if (args[i].equals(word)) {
        String next = args[i + 1];
        return next.startsWith("-") || next.equals("help") ? null : next;
      }
    }
    return null;
  }

  /**
   * The first word of {@code args} after the global options and their values: the subcommand to
   * build. Null when there is none or when building it alone could change what the user sees:
   * {@code help} and {@code completion} walk the whole tree, and root help lists it. Empty for a
   * lone {@code --version}, which needs no subcommand.
   */
  static String commandWord(CommandSpec root, String... args) {
    if (args.length == 1 && root.findOption(args[0]) instanceof OptionSpec o && o.versionHelp()) {
      return "";
    }
    for (int i = 0; i < args.length; i++) {
      String arg = args[i];
      if (!arg.startsWith("-") || arg.equals("-")) {
        return arg.equals("help") || arg.equals("completion") ? null : arg;
      }
      if (arg.startsWith("--") && arg.contains("=")) {
        continue;
      }
      OptionSpec option = root.findOption(arg);
      if (option == null || option.usageHelp() || option.versionHelp()) {
        return null;
      }
      if (option.arity().max() > 0) {
        i++;
      }
    }
    return null;
  }

  private static <T> T whole(String value, java.util.function.Function<String, T> parse) {
    try {
      return parse.apply(value.strip());
    } catch (NumberFormatException e) {
      String v = value.strip();
      throw new CommandLine.TypeConversionException(
          "'"
              + value
              + (!WholeNumbers.looksWhole(v)
                  ? "' is not a whole number"
                  : v.startsWith("-") ? "' is too small a number" : "' is too large a number"));
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
      if (obj instanceof BaseCommand b && ctx != null) {
        b.context(ctx, global);
      }
      return obj;
    }
  }
}
