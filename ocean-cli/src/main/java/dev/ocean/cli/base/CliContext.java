package dev.ocean.cli.base;

import dev.ocean.common.client.OceanClient;
import java.io.Console;
import java.io.InputStream;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.Map;

/**
 * What a CLI run may touch of the outside world: environment, standard streams, the terminal, the
 * working directory and how HTTP clients are made. Tests and the resident daemon ({@code
 * dev.ocean.cli.daemon}) run the CLI in-process with their own context, so nothing reads
 * process-global state.
 *
 * @param cwd the caller's working directory: relative paths the user typed resolve against it
 * @param clients makes the run's API clients; the daemon's keeps one per server for reuse
 */
public record CliContext(
    Map<String, String> env,
    InputStream stdin,
    PrintWriter out,
    PrintWriter err,
    Console console,
    boolean stdoutIsTerminal,
    Path cwd,
    Clients clients) {

  /** Makes the API client of a run for a server address (or several) and a token (or null). */
  @FunctionalInterface
  public interface Clients {
    OceanClient forUser(String serverUrls, String token);
  }

  /** A context in this process's working directory with a fresh HTTP client per call. */
  public CliContext(
      Map<String, String> env,
      InputStream stdin,
      PrintWriter out,
      PrintWriter err,
      Console console,
      boolean stdoutIsTerminal) {
    this(
        env,
        stdin,
        out,
        err,
        console,
        stdoutIsTerminal,
        Path.of("").toAbsolutePath(),
        OceanClient::forUser);
  }

  public static CliContext system() {
    Console console = System.console();
    return new CliContext(
        System.getenv(),
        System.in,
        new ByteWriter(System.out, true, terminalCharset(System.out.charset())),
        new PrintWriter(
            new java.io.OutputStreamWriter(System.err, terminalCharset(System.err.charset())),
            true),
        console,
        console != null && isTerminal(console));
  }

  /**
   * The C and POSIX locales' ASCII would print every other character as {@code ?}; UTF-8 instead,
   * as the arguments are read (see {@link Argv}).
   */
  private static java.nio.charset.Charset terminalCharset(java.nio.charset.Charset locale) {
    return locale.equals(java.nio.charset.StandardCharsets.US_ASCII)
        ? java.nio.charset.StandardCharsets.UTF_8
        : locale;
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

  /** A path the user typed, relative ones resolved against the caller's working directory. */
  public Path path(String typed) {
    return cwd.resolve(typed);
  }
}
