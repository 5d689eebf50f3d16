package dev.ocean.server;

import dev.ocean.common.Version;
import dev.ocean.common.validation.Durations;
import dev.ocean.server.backup.BackupCommand;
import dev.ocean.server.backup.RestoreCommand;
import dev.ocean.server.user.UserService.SignupMode;
import java.io.PrintWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

/** Entry point of {@code ocean-server}: parses options (and their environment variables). */
@Command(
    name = "ocean-server",
    mixinStandardHelpOptions = true,
    resourceBundle = "dev.ocean.common.HelpTexts",
    versionProvider = Main.VersionProvider.class,
    subcommands = {BackupCommand.class, RestoreCommand.class, CommandLine.HelpCommand.class},
    description = "Runs the Ocean coordinator: REST API, scheduler and web UI.")
public final class Main implements Callable<Integer> {
  @Option(
      names = "--port",
      paramLabel = "PORT",
      defaultValue = "${env:OCEAN_PORT:-8080}",
      description = "HTTP port (env OCEAN_PORT, default ${DEFAULT-VALUE}).")
  int port;

  @Option(
      names = "--host",
      paramLabel = "ADDRESS",
      defaultValue = "0.0.0.0",
      description = "Address to listen on (default ${DEFAULT-VALUE}).")
  String host;

  @Option(
      names = "--data",
      paramLabel = "DIR",
      defaultValue = "${env:OCEAN_DATA}",
      description = {"Data directory (env OCEAN_DATA); the default:", "~/.local/share/ocean"})
  Path data;

  @Option(
      names = "--storage",
      paramLabel = "DIR",
      description = "Volume storage root shared with the nodes (default DATA/storage).")
  Path storage;

  @Option(
      names = "--db",
      paramLabel = "JDBC_URL",
      defaultValue = "${env:OCEAN_DB}",
      description = {
        "JDBC URL (env OCEAN_DB, default SQLite in DATA):",
        "jdbc:postgresql://host/ocean?user=u&password=p"
      })
  String db;

  @Option(
      names = "--tls-cert",
      defaultValue = "${env:OCEAN_TLS_CERT}",
      paramLabel = "FILE",
      description =
          "PEM certificate chain; with --tls-key the server serves HTTPS instead of HTTP (env OCEAN_TLS_CERT).")
  Path tlsCert;

  @Option(
      names = "--tls-key",
      defaultValue = "${env:OCEAN_TLS_KEY}",
      paramLabel = "FILE",
      description = "PEM private key of --tls-cert, unencrypted (env OCEAN_TLS_KEY).")
  Path tlsKey;

  @Option(
      names = "--admin-email",
      paramLabel = "EMAIL",
      defaultValue = "${env:OCEAN_ADMIN_EMAIL}",
      description =
          "Create this admin on first start (env OCEAN_ADMIN_EMAIL; password from OCEAN_ADMIN_PASSWORD or --admin-password-file, else generated and printed once).")
  String adminEmail;

  @Option(
      names = "--admin-password-file",
      paramLabel = "FILE",
      description = "File holding the first admin's password.")
  Path adminPasswordFile;

  @Option(
      names = "--metrics-token",
      paramLabel = "TOKEN",
      defaultValue = "${env:OCEAN_METRICS_TOKEN}",
      description =
          "Require this bearer token on /metrics (env OCEAN_METRICS_TOKEN; default: open).")
  String metricsToken;

  @Option(
      names = "--signup",
      paramLabel = "MODE",
      defaultValue = "open",
      description = "Signup mode: open or admin-activation (default ${DEFAULT-VALUE}).")
  String signup;

  @Option(
      names = "--token-ttl",
      defaultValue = "${env:OCEAN_TOKEN_TTL:-30d}",
      paramLabel = "DURATION",
      description =
          "How long an API token lives without being used, like 12h or 30d; each use renews it (env OCEAN_TOKEN_TTL, default ${DEFAULT-VALUE}).")
  String tokenTtl;

  @Option(
      names = "--instance-grace",
      defaultValue = "${env:OCEAN_INSTANCE_GRACE:-15m}",
      paramLabel = "DURATION",
      description =
          "How long a running instance whose node stopped answering is kept for its agent to come back and re-adopt it, like 15m or 2h; then it fails (env OCEAN_INSTANCE_GRACE, default ${DEFAULT-VALUE}). Jobs fail as soon as the node is lost.")
  String instanceGrace;

  @Spec CommandSpec spec;

  public static void main(String[] args) {
    ServerCommandLine.quietLibraries();
    System.exit(ServerCommandLine.of(new Main()).execute(args));
  }

  /** Whether the server can listen on {@code host}: any, loopback, or one of this machine's. */
  static boolean localAddress(String host) {
    if (host == null || host.isBlank() || host.chars().anyMatch(Character::isWhitespace)) {
      return false;
    }
    try {
      java.net.InetAddress a = java.net.InetAddress.getByName(host);
      return a.isAnyLocalAddress()
          || a.isLoopbackAddress()
          || java.net.NetworkInterface.getByInetAddress(a) != null;
    } catch (java.io.IOException e) {
      return false;
    }
  }

  @Override
  public Integer call() throws Exception {
    Path dataDir = data != null ? data : ServerConfig.defaultDataDir();
    String password = System.getenv("OCEAN_ADMIN_PASSWORD");
    if (adminPasswordFile != null) {
      if (!Files.isRegularFile(adminPasswordFile) || !Files.isReadable(adminPasswordFile)) {
        err(
            "ocean-server could not start: --admin-password-file "
                + adminPasswordFile
                + (Files.exists(adminPasswordFile)
                    ? " is not a readable file"
                    : " does not exist"));
        return 2;
      }
      password = Files.readString(adminPasswordFile).strip();
    }
    String weak =
        adminEmail == null || adminEmail.isBlank() || password == null || password.isEmpty()
            ? null
            : dev.ocean.common.validation.Rules.password(password).orElse(null);
    if (weak != null) {
      err(
          "ocean-server could not start: the password in "
              + (adminPasswordFile != null
                  ? "--admin-password-file " + adminPasswordFile
                  : "OCEAN_ADMIN_PASSWORD")
              + " is not acceptable: "
              + weak);
      return 2;
    }
    if (port < 0 || port > 65535) {
      err("--port must be between 0 and 65535, not " + port);
      return 2;
    }
    SignupMode mode =
        switch (signup) {
          case "open" -> SignupMode.OPEN;
          case "admin-activation" -> SignupMode.ADMIN_ACTIVATION;
          default -> {
            err("--signup must be open or admin-activation, not '" + signup + "'");
            yield null;
          }
        };
    if (mode == null) {
      return 2;
    }
    if (!localAddress(host)) {
      err("--host '" + host + "' is not an address of this machine (e.g. 127.0.0.1 or 0.0.0.0)");
      return 2;
    }
    Duration ttl = Durations.parse(tokenTtl).filter(d -> !d.isZero()).orElse(null);
    if (ttl == null) {
      err("--token-ttl must look like 30m, 12h or 30d, not '" + tokenTtl + "'");
      return 2;
    }
    Duration grace = Durations.parse(instanceGrace).orElse(null);
    if (grace == null) {
      err("--instance-grace must look like 15m, 2h or 0m, not '" + instanceGrace + "'");
      return 2;
    }
    // an empty flag typed on purpose asked for TLS: serving plain HTTP instead would be a surprise
    for (String flag : List.of("--tls-cert", "--tls-key")) {
      Path typed = flag.equals("--tls-cert") ? tlsCert : tlsKey;
      if (spec.commandLine().getParseResult().hasMatchedOption(flag)
          && typed != null
          && typed.toString().isBlank()) {
        err(flag + " must name a PEM file, not be empty");
        return 2;
      }
    }
    // an empty OCEAN_TLS_CERT or OCEAN_TLS_KEY counts as unset, like the other variables
    tlsCert = tlsCert == null || tlsCert.toString().isEmpty() ? null : tlsCert;
    tlsKey = tlsKey == null || tlsKey.toString().isEmpty() ? null : tlsKey;
    if ((tlsCert == null) != (tlsKey == null)) {
      err(
          "--tls-cert and --tls-key go together (env OCEAN_TLS_CERT and OCEAN_TLS_KEY); "
              + (tlsCert == null ? "--tls-cert" : "--tls-key")
              + " is missing");
      return 2;
    }
    if (tlsCert == null && emptyTlsVariable()) {
      spec.commandLine()
          .getErr()
          .println(
              "Warning: OCEAN_TLS_CERT and OCEAN_TLS_KEY are set but empty, so the server serves"
                  + " plain HTTP.");
    }
    ServerConfig config =
        new ServerConfig(dataDir)
            .host(host)
            .port(port)
            .storageDir(storage)
            .dbUrl(db == null || db.isBlank() ? null : db)
            .adminEmail(adminEmail == null || adminEmail.isBlank() ? null : adminEmail)
            .adminPassword(password)
            .signupMode(mode)
            .metricsToken(metricsToken)
            .tlsCert(tlsCert)
            .tlsKey(tlsKey)
            .tokenTtl(ttl)
            .instanceGrace(grace);
    OceanServer server;
    try {
      server = OceanServer.start(config, System.out);
    } catch (Exception e) {
      err("ocean-server could not start: " + e.getMessage());
      return 1;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  server.close();
                  stopped.countDown();
                }));
    System.out.println(
        "Ocean "
            + Version.VERSION
            + " serving on "
            + (config.tls() ? "https" : "http")
            + "://"
            + host
            + ":"
            + server.port());
    stopped.await();
    return 0;
  }

  private static boolean emptyTlsVariable() {
    String cert = System.getenv("OCEAN_TLS_CERT");
    String key = System.getenv("OCEAN_TLS_KEY");
    return (cert != null && cert.isBlank()) || (key != null && key.isBlank());
  }

  /** A refusal, in the {@code Error: ….} form of every Ocean command. */
  private void err(String sentence) {
    PrintWriter err = spec.commandLine().getErr();
    err.println("Error: " + (sentence.endsWith(".") ? sentence : sentence + "."));
    err.flush();
  }

  /** Prints the release version for {@code --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ocean-server " + Version.VERSION};
    }
  }
}
