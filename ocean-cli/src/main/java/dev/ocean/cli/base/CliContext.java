package dev.ocean.cli.base;

import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.util.Map;

/**
 * What a CLI run may touch of the outside world: environment, standard streams and the terminal.
 * Tests run the CLI in-process with their own context, so nothing reads process-global state.
 */
public record CliContext(
    Map<String, String> env,
    InputStream stdin,
    PrintWriter out,
    PrintWriter err,
    Console console,
    boolean stdoutIsTerminal) {

  public static CliContext system() {
    Console console = System.console();
    return new CliContext(
        System.getenv(),
        System.in,
        new PrintWriter(System.out, true),
        new PrintWriter(System.err, true),
        console,
        console != null && isTerminal(console));
  }

  private static boolean isTerminal(Console console) {
    try {
      return console.isTerminal();
    } catch (NoSuchMethodError e) {
      return true;
    }
  }

  public String env(String name) {
    String v = env.get(name);
    return v == null || v.isEmpty() ? null : v;
  }
}
