package dev.ocean.cli.e2e;

import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.Config;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;

/**
 * One simulated person at a terminal: their own config directory and environment, running the
 * {@code ocean} command line in-process.
 */
final class Ocean {
  private final Path configHome;
  private final Map<String, String> env = new HashMap<>();
  private boolean terminal;

  Ocean(Path configHome) {
    this.configHome = configHome;
    env.put("XDG_CONFIG_HOME", configHome.toString());
  }

  /** Sets (or with null, removes) an environment variable for later runs. */
  Ocean env(String name, String value) {
    if (value == null) {
      env.remove(name);
    } else {
      env.put(name, value);
    }
    return this;
  }

  /** Whether stdout counts as a terminal (colours allowed) for later runs. */
  Ocean terminal(boolean terminal) {
    this.terminal = terminal;
    return this;
  }

  Run ocean(String... args) {
    return withStdin("", args);
  }

  Run withStdin(String stdin, String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx =
        new CliContext(
            Map.copyOf(env),
            new ByteArrayInputStream(stdin.getBytes(StandardCharsets.UTF_8)),
            new PrintWriter(out),
            new PrintWriter(err),
            null,
            terminal);
    int code = Cli.run(ctx, args);
    return new Run(code, out.toString(), err.toString());
  }

  /** Runs {@code ocean ARGS} writing to {@code out} and {@code err} as it goes; the exit code. */
  int streaming(java.io.Writer out, java.io.Writer err, String... args) {
    CliContext ctx =
        new CliContext(
            Map.copyOf(env),
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out, true),
            new PrintWriter(err, true),
            null,
            terminal);
    return Cli.run(ctx, args);
  }

  Path configFile() {
    return configHome.resolve("ocean").resolve("config.json");
  }

  /** The API token saved by {@code ocean login}, or null. */
  String token() {
    return new Config(configFile()).load().token();
  }
}
