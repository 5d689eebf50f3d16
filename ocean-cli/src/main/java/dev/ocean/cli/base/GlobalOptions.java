package dev.ocean.cli.base;

import picocli.CommandLine.Option;

/** Options every command takes: where the server is, who you are, and how to print. */
public final class GlobalOptions {
  @Option(
      names = "--server",
      description = "Server URL (env OCEAN_SERVER; default: the one you logged in to).")
  public String server;

  @Option(
      names = "--token",
      description = "API token (env OCEAN_TOKEN; default: from `ocean login`).")
  public String token;

  @Option(
      names = "--ca-cert",
      paramLabel = "FILE",
      description =
          "Also trust the PEM certificates in FILE, e.g. a self-signed server's (env OCEAN_CA_CERT;"
              + " default: the one you logged in with).")
  public String caCert;

  @Option(
      names = {"-o", "--output"},
      description = "Output format: table, wide or json.",
      defaultValue = "table")
  public String output;

  @Option(
      names = {"-q", "--quiet"},
      description = "Print only ids or names, one per line.")
  public boolean quiet;

  @Option(names = "--no-color", description = "Never use colours (also NO_COLOR).")
  public boolean noColor;

  @Option(
      names = {"-v", "--verbose"},
      description = "Show details of errors.")
  public boolean verbose;
}
