package dev.ocean.cli.job;

import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * One person at a terminal: their own config directory, running the {@code ocean} command line
 * in-process against one server.
 */
final class Person {
  final String email;
  private final Path home;
  private final String server;

  Person(String email, Path home, String server) {
    this.email = email;
    this.home = home;
    this.server = server;
    try {
      Files.createDirectories(home);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  /** Where this person's saved login lives ({@code XDG_CONFIG_HOME}). */
  Path home() {
    return home;
  }

  /** Signs up with {@code password} and logs in. */
  Person signup(String password) {
    withStdin(password + "\n", "signup", "--email", email, "--password-stdin").ok();
    return login(password);
  }

  Person login(String password) {
    withStdin(password + "\n", "login", "--email", email, "--password-stdin").ok();
    return this;
  }

  /** Runs {@code ocean ARGS} to its end. */
  Result ocean(String... args) {
    return withStdin("", args);
  }

  Result withStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    int code = run(stdin, new PrintWriter(out), new PrintWriter(err), args);
    return new Result(code, out.toString(), err.toString());
  }

  /**
   * Runs {@code ocean ARGS} with stdout going to {@code out} as it is printed, for commands that
   * stream (a {@code logs -f} in another thread); returns the exit code.
   */
  int streaming(Writer out, Writer err, String... args) {
    return run("", new PrintWriter(out, true), new PrintWriter(err, true), args);
  }

  /** Runs {@code ocean ARGS} with stdout a stream whose text charset is {@code charset}. */
  int toStream(java.io.OutputStream out, java.nio.charset.Charset charset, String... args) {
    return run(
        "",
        new dev.ocean.cli.base.ByteWriter(out, true, charset),
        new PrintWriter(new StringWriter()),
        args);
  }

  private int run(String stdin, PrintWriter out, PrintWriter err, String... args) {
    CliContext ctx =
        new CliContext(
            Map.of("XDG_CONFIG_HOME", home.toString(), "OCEAN_SERVER", server, "NO_COLOR", "1"),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            out,
            err,
            null,
            false);
    return Cli.run(ctx, args);
  }
}
