package dev.ocean.server;

import java.util.List;
import picocli.CommandLine;

/** The command line of {@code ocean-server}: its converters and its usage-error wording. */
final class ServerCommandLine {
  private ServerCommandLine() {}

  /**
   * The libraries' start-up chatter (pool started, schema up to date, Jetty and Javalin started) is
   * no news to an admin, and before a refusal it buried the one sentence that mattered (qa11 T4);
   * their warnings stay.
   */
  static void quietLibraries() {
    for (String lib :
        List.of("com.zaxxer.hikari", "org.flywaydb", "org.eclipse.jetty", "io.javalin")) {
      if (System.getProperty("org.slf4j.simpleLogger.log." + lib) == null) {
        System.setProperty("org.slf4j.simpleLogger.log." + lib, "warn");
      }
    }
  }

  static CommandLine of(Main main) {
    CommandLine cmd = new CommandLine(main);
    // ASCII digits only: Integer.valueOf takes other scripts' digits too ('٨٠٨٠' is 8080)
    cmd.registerConverter(
        Integer.TYPE,
        v -> {
          try {
            return dev.ocean.common.validation.WholeNumbers.parseInt(v.strip());
          } catch (NumberFormatException e) {
            throw new CommandLine.TypeConversionException("'" + v + "' is not a whole number");
          }
        });
    // a usage error is one sentence and a hint, not the whole help
    cmd.setParameterExceptionHandler(
        (e, rest) -> {
          var err = e.getCommandLine().getErr();
          String m = dev.ocean.common.cli.UsageErrors.unmatched(e).orElse(e.getMessage()).strip();
          err.println("Error: " + (m.endsWith(".") ? m : m + "."));
          err.println("See '" + e.getCommandLine().getCommandSpec().qualifiedName() + " --help'.");
          err.flush();
          return 2;
        });
    return cmd;
  }
}
