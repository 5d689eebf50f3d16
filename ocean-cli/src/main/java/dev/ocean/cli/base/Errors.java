package dev.ocean.cli.base;

import dev.ocean.common.client.OceanApiException;
import java.io.PrintWriter;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.ArgSpec;
import picocli.CommandLine.Model.OptionSpec;
import picocli.CommandLine.Model.PositionalParamSpec;

/**
 * The one place errors become what a user reads: a single sentence on stderr, in the words of the
 * command line (the flag the user typed, not the API's JSON field), with control characters
 * escaped, and a stack trace only with {@code -v}.
 */
public final class Errors {
  private Errors() {}

  /** Prints a failed command's error and returns its exit code. */
  public static int print(
      Throwable e, Map<String, String> flagsByField, boolean verbose, PrintWriter err) {
    err.println("Error: " + sentence(explain(e, flagsByField)));
    if (verbose) {
      if (e instanceof OceanApiException api) {
        err.println("problem: " + Text.safe(String.valueOf(api.problem())));
      }
      e.printStackTrace(err);
    }
    err.flush();
    return ExitCodes.of(e);
  }

  /** Prints a command line picocli could not parse and returns the usage exit code. */
  public static int printUsage(CommandLine.ParameterException e, String[] args) {
    PrintWriter err = e.getCommandLine().getErr();
    err.println("Error: " + sentence(usage(e, args)));
    err.println(
        "See '" + Text.safe(e.getCommandLine().getCommandSpec().qualifiedName()) + " --help'.");
    err.flush();
    return ExitCodes.USAGE;
  }

  /**
   * The error's message with the API's field names replaced by the command's flags, e.g. {@code
   * sizeGib must be between 1 and 100000} read as {@code --size must be between 1 and 100000}.
   */
  static String explain(Throwable e, Map<String, String> flagsByField) {
    if (e instanceof java.nio.file.FileSystemException fs && fs.getFile() != null) {
      // Java's own message is the bare path, and nothing about what went wrong with it
      return fs.getFile() + ": " + fileProblem(fs);
    }
    String m = e.getMessage();
    if (m == null || m.isBlank()) {
      return e.getClass().getSimpleName();
    }
    if (e instanceof OceanApiException api && (api.status() == 400 || api.status() == 422)) {
      for (Map.Entry<String, String> f : flagsByField.entrySet()) {
        m =
            Pattern.compile("(?<![A-Za-z0-9_-])" + Pattern.quote(f.getKey()) + "(?![A-Za-z0-9_])")
                .matcher(m)
                .replaceAll(Matcher.quoteReplacement(f.getValue()));
      }
    }
    return m;
  }

  /** What went wrong with a file, in words: Java's own message is only its path. */
  public static String fileProblem(java.nio.file.FileSystemException fs) {
    if (fs.getReason() != null) {
      return fs.getReason(); // the system's own words, e.g. "Not a directory"
    }
    return switch (fs) {
      case java.nio.file.NoSuchFileException n -> "no such file or directory";
      case java.nio.file.AccessDeniedException a -> "permission denied";
      case java.nio.file.FileAlreadyExistsException x -> "it already exists";
      case java.nio.file.NotDirectoryException d -> "not a directory";
      case java.nio.file.DirectoryNotEmptyException d -> "the directory is not empty";
      default -> "cannot be used";
    };
  }

  /** A value picocli could not convert reads as {@code --count: 'abc' is not a whole number}. */
  private static String usage(CommandLine.ParameterException e, String[] args) {
    // A mistyped flag also leaves a required one missing; the typo is what the user must fix.
    if (e instanceof CommandLine.MissingParameterException) {
      var unmatched = e.getCommandLine().getParseResult().unmatched();
      var unknown = unmatched.stream().filter(a -> a.startsWith("-")).findFirst();
      if (unknown.isPresent()) {
        return "Unknown option: '" + unknown.get() + "'"; // as picocli words it elsewhere
      }
    }
    // a word where a command's subcommand goes (said as `ocean help WORD` does), or one too many
    var unmatched = dev.ocean.common.cli.UsageErrors.unmatched(e);
    if (unmatched.isPresent()) {
      return unmatched.get();
    }
    ArgSpec arg = e.getArgSpec();
    if (!(e.getCause() instanceof CommandLine.TypeConversionException) || arg == null) {
      return e.getMessage();
    }
    String value = e.getValue();
    String what = e.getCause().getMessage();
    if (arg instanceof PositionalParamSpec p) {
      String label = p.paramLabel();
      if (label.matches("([A-Z]+_)?ID")) {
        String noun = label.toLowerCase(java.util.Locale.ROOT).replace('_', ' ');
        what = "'" + value + "' is not " + (noun.equals("id") ? "an id" : "a " + noun);
      }
      return label + ": " + what;
    }
    return typed((OptionSpec) arg, args) + ": " + what;
  }

  /** The name of the option as the user typed it ({@code -o} or {@code --output}). */
  private static String typed(OptionSpec option, String[] args) {
    for (String a : args) {
      for (String name : option.names()) {
        if (a.equals(name)
            || a.startsWith(name + "=")
            || (name.length() == 2 && !name.startsWith("--") && a.startsWith(name))) {
          return name;
        }
      }
    }
    return option.longestName();
  }

  private static String sentence(String m) {
    m = Text.safe(m.strip());
    return m.endsWith(".") || m.endsWith("?") ? m : m + ".";
  }
}
