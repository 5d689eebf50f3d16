package dev.ocean.cli.base;

import com.fasterxml.jackson.core.JsonProcessingException;
import dev.ocean.common.client.OceanClient;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * What every leaf command shares: global options, the client, the saved config and printing.
 * Results go to stdout, messages to stderr; errors are thrown and mapped once at the root.
 */
public abstract class BaseCommand implements Callable<Integer> {
  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  /** The global options of this run, typed at any depth of the command line. */
  protected GlobalOptions global;

  private final java.util.Set<String> noticesShown =
      java.util.Collections.synchronizedSet(new java.util.HashSet<>());

  private CliContext ctx;

  /** Called by the command factory before the command runs. */
  public void context(CliContext ctx, GlobalOptions global) {
    this.ctx = ctx;
    this.global = global;
  }

  /**
   * The API's JSON field names this command's flags set, mapped to the flags as the user types them
   * (e.g. {@code sizeGib} to {@code --size}), so the server's errors name the flag.
   */
  public Map<String, String> flagsByField() {
    return Map.of();
  }

  protected CliContext ctx() {
    return ctx;
  }

  protected PrintWriter out() {
    return ctx.out();
  }

  protected Config config() {
    return Config.locate(ctx);
  }

  protected Style style() {
    boolean on =
        ctx.stdoutIsTerminal() && !global.noColor && ctx.env("NO_COLOR") == null && !json();
    return new Style(on);
  }

  /** A message for the user on stderr; control characters in it are escaped. */
  protected void info(String message) {
    ctx.err().println(Text.safeLines(message));
    ctx.err().flush();
  }

  protected String serverUrl() {
    if (global.server != null) {
      return checkedUrl("--server", global.server);
    }
    if (ctx.env("OCEAN_SERVER") != null) {
      return checkedUrl("OCEAN_SERVER", ctx.env("OCEAN_SERVER"));
    }
    String saved = config().load().server();
    if (saved == null) {
      throw new CliException(
          ExitCodes.USAGE,
          "no server given; use --server URL, set OCEAN_SERVER or run `ocean login --server URL`");
    }
    return saved;
  }

  /**
   * Server addresses the user typed: http(s)://host[:port], or several of one cluster separated by
   * commas (the client fails over between them); else a usage error naming the flag.
   */
  private static String checkedUrl(String where, String urls) {
    dev.ocean.common.client.ServerAddresses.problem(urls)
        .ifPresent(
            problem -> {
              throw new CliException(ExitCodes.USAGE, where + ": " + Text.safe(problem));
            });
    return urls;
  }

  protected String token() {
    if (global.token != null) {
      return printable("--token", global.token);
    }
    if (ctx.env("OCEAN_TOKEN") != null) {
      return printable("OCEAN_TOKEN", ctx.env("OCEAN_TOKEN"));
    }
    return config().load().token();
  }

  /** A token goes into an HTTP header: anything but printable ASCII cannot be one. */
  private static String printable(String source, String token) {
    if (token.isEmpty()) {
      throw new CliException(ExitCodes.USAGE, source + " must hold a token, not be empty");
    }
    if (!token.chars().allMatch(c -> c > 0x20 && c < 0x7f)) {
      throw new CliException(
          ExitCodes.USAGE,
          source
              + " holds characters no Ocean token has (tokens are printable ASCII); run `ocean"
              + " login` or copy the token again");
    }
    return token;
  }

  /**
   * The PEM file of extra certificates to trust, as an absolute path: {@code --ca-cert}, else
   * {@code OCEAN_CA_CERT}, else the one saved by {@code ocean login}; null for none.
   */
  protected String caCert() {
    if (global.caCert != null && global.caCert.isBlank()) {
      throw new CliException(ExitCodes.USAGE, "--ca-cert must name a PEM file, not be empty");
    }
    String env = ctx.env("OCEAN_CA_CERT");
    // an empty OCEAN_CA_CERT counts as unset, like the server's variables
    String file = global.caCert != null ? global.caCert : env == null || env.isBlank() ? null : env;
    if (file == null) {
      return savedCaCert();
    }
    return ctx.path(file).toAbsolutePath().normalize().toString();
  }

  /**
   * The CA file {@code ocean login} saved, unless {@link #savedCaCertApplies} says no. When the
   * file is gone, plain HTTP goes on without it and HTTPS stops with a sentence that says where the
   * path came from (a path of a file since deleted otherwise locked the user out of every command).
   */
  private String savedCaCert() {
    Config.Saved saved = config().load();
    String ca = saved.caCert();
    if (ca == null || !savedCaCertApplies(saved)) {
      return null;
    }
    if (Files.exists(Path.of(ca))) {
      return ca;
    }
    if (!serverUrl().contains("https://")) {
      return null;
    }
    throw new CliException(
        ExitCodes.ERROR,
        "the CA certificate "
            + Text.safe(ca)
            + " that `ocean login` saved is gone; pass --ca-cert FILE, or run `ocean login"
            + " --ca-cert FILE` again");
  }

  /** Whether the saved CA file counts for this command; a login to another server says no. */
  protected boolean savedCaCertApplies(Config.Saved saved) {
    return true;
  }

  /** A client authenticated as the current user; refuses early when nobody is logged in. */
  protected OceanClient client() {
    Marks.mark("command runs");
    String token = token();
    if (token == null) {
      throw new CliException(ExitCodes.FORBIDDEN, "you are not logged in; run `ocean login`");
    }
    Marks.mark("login read");
    OceanClient client = clientWith(token);
    Marks.mark("client ready");
    return client;
  }

  /** A client that sends {@code token}, with the same server, trust and timeout. */
  protected OceanClient clientWith(String token) {
    return withTimeout(withTrust(ctx.clients().forUser(serverUrl(), token)))
        .withNotices(this::notice);
  }

  /** Prints a warning the server sent ({@code Ocean-Notice}) on stderr, once per command. */
  private void notice(String text) {
    if (noticesShown.add(text)) {
      ctx.err().println("notice: " + text);
      ctx.err().flush();
    }
  }

  protected OceanClient anonymousClient() {
    return withTimeout(withTrust(ctx.clients().forUser(serverUrl(), null)));
  }

  private OceanClient withTrust(OceanClient client) {
    String ca = caCert();
    if (ca == null) {
      return withRunsCaCert(client);
    }
    try {
      return client.withTrustedCertificates(Path.of(ca));
    } catch (dev.ocean.common.client.OceanClientException e) {
      // a file the user typed just now is a bad flag value (exit 2) like any other
      String typed =
          global.caCert != null
              ? "--ca-cert"
              : ctx.env("OCEAN_CA_CERT") != null ? "OCEAN_CA_CERT" : null;
      if (typed == null) {
        throw e;
      }
      throw new CliException(ExitCodes.USAGE, typed + ": " + e.getMessage());
    }
  }

  /**
   * Inside a run: the certificates the node's agent trusts, handed over as text in {@code
   * OCEAN_CA_CERT_PEM} (the job's user may not read the agent's file). Read through a private
   * temporary file that is gone again once the trust is built.
   */
  private OceanClient withRunsCaCert(OceanClient client) {
    String pem = ctx.env("OCEAN_CA_CERT_PEM");
    if (pem == null || pem.isBlank()) {
      return client;
    }
    Path file = null;
    try {
      file = Files.createTempFile("ocean-ca-", ".pem"); // owner-only
      Files.writeString(file, pem);
      return client.withTrustedCertificates(file);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.ERROR, "cannot read the certificates in OCEAN_CA_CERT_PEM: " + e.getMessage());
    } catch (dev.ocean.common.client.OceanClientException e) {
      // the message names the temporary file, which is gone: say what held the text instead
      throw new CliException(
          ExitCodes.USAGE,
          "OCEAN_CA_CERT_PEM holds no PEM certificate that can be read (-----BEGIN"
              + " CERTIFICATE-----)");
    } finally {
      if (file != null) {
        try {
          Files.deleteIfExists(file);
        } catch (IOException ignored) {
          // a temporary file of public certificates: the system's cleaning takes it
        }
      }
    }
  }

  /** Applies {@code OCEAN_TIMEOUT} (seconds to wait for an answer), when it is set. */
  private OceanClient withTimeout(OceanClient client) {
    String raw = ctx.env("OCEAN_TIMEOUT");
    if (raw == null) {
      return client;
    }
    double seconds;
    try {
      seconds = Double.parseDouble(raw.strip());
    } catch (NumberFormatException e) {
      seconds = -1;
    }
    if (!(seconds > 0 && seconds <= 86_400)) {
      throw new CliException(
          ExitCodes.USAGE,
          "OCEAN_TIMEOUT must be a number of seconds such as 30, not '" + raw + "'");
    }
    return client.withReadTimeout(Duration.ofMillis(Math.max(1, Math.round(seconds * 1000))));
  }

  protected boolean json() {
    return global.output == GlobalOptions.Output.json;
  }

  protected boolean wide() {
    return global.output == GlobalOptions.Output.wide;
  }

  /** Prints a result: JSON as the API gave it, ids with {@code -q}, or the human form. */
  protected <T> void print(T value, Function<T, String> id, Consumer<T> human) {
    Marks.mark("answer read");
    if (json()) {
      printJson(value);
    } else if (global.quiet) {
      out().println(Text.safe(id.apply(value)));
    } else {
      human.accept(value);
    }
    out().flush();
  }

  /** Prints a list: JSON array, ids with {@code -q}, or a table. */
  protected <T> void printList(List<T> values, Function<T, String> id, Consumer<List<T>> table) {
    Marks.mark("answer read");
    if (json()) {
      printJson(values);
    } else if (global.quiet) {
      values.forEach(v -> out().println(Text.safe(id.apply(v))));
    } else {
      table.accept(values);
    }
    out().flush();
  }

  /**
   * JSON's own escapes, and {@code \\u} escapes for what {@link Text#invisible} would escape in a
   * table: the document stays the same data, and a terminal showing it reorders nothing.
   */
  private static final com.fasterxml.jackson.core.io.CharacterEscapes JSON_ESCAPES =
      new com.fasterxml.jackson.core.io.CharacterEscapes() {
        private final int[] ascii = standardAsciiEscapesForJSON();

        @Override
        public int[] getEscapeCodesForAscii() {
          return ascii;
        }

        @Override
        public com.fasterxml.jackson.core.SerializableString getEscapeSequence(int ch) {
          return Text.invisible(ch)
              ? new com.fasterxml.jackson.core.io.SerializedString(String.format("\\u%04x", ch))
              : null;
        }
      };

  protected void printJson(Object value) {
    try {
      out()
          .println(
              OceanClient.forUser("http://unused", null)
                  .mapper()
                  .writerWithDefaultPrettyPrinter()
                  .with(JSON_ESCAPES)
                  .writeValueAsString(value));
    } catch (JsonProcessingException e) {
      throw new CliException(ExitCodes.ERROR, "cannot print JSON: " + e.getOriginalMessage());
    }
  }

  public static String time(Instant t) {
    return t == null ? "-" : TIME.format(t);
  }

  /** Reads a password from stdin (first line) or asks on the terminal without echo. */
  protected String readPassword(boolean fromStdin, String prompt) {
    if (fromStdin) {
      try {
        String all = new String(ctx.stdin().readAllBytes(), StandardCharsets.UTF_8);
        String line = all.lines().findFirst().orElse("");
        if (line.isEmpty()) {
          throw new CliException(ExitCodes.USAGE, "no password on standard input");
        }
        return line;
      } catch (IOException e) {
        throw new CliException(ExitCodes.ERROR, "cannot read standard input: " + e.getMessage());
      }
    }
    if (ctx.console() == null) {
      throw new CliException(
          ExitCodes.USAGE, "no terminal to ask for the password on; use --password-stdin");
    }
    char[] pw = ctx.console().readPassword("%s", prompt);
    if (pw == null || pw.length == 0) {
      throw new CliException(ExitCodes.USAGE, "no password given");
    }
    return new String(pw);
  }
}
