package dev.ocean.cli.base;

import picocli.CommandLine.Option;
import picocli.CommandLine.ScopeType;

/**
 * Options every command takes: where the server is, who you are, and how to print. They live on the
 * top command with inherited scope, so {@code ocean -o json job list} and {@code ocean job list -o
 * json} mean the same; one instance per run holds what was typed at any depth.
 */
public final class GlobalOptions {
  @Option(
      names = "--server",
      scope = ScopeType.INHERIT,
      paramLabel = "URL",
      description =
          "Server URL, or several of one cluster as URL,URL (env OCEAN_SERVER; default: the one"
              + " you logged in to).")
  public String server;

  @Option(
      names = "--token",
      scope = ScopeType.INHERIT,
      paramLabel = "TOKEN",
      description = "API token (env OCEAN_TOKEN; default: from `ocean login`).")
  public String token;

  @Option(
      names = "--ca-cert",
      scope = ScopeType.INHERIT,
      paramLabel = "FILE",
      description =
          "Also trust the PEM certificates in FILE, e.g. a self-signed server's (env OCEAN_CA_CERT;"
              + " default: the one you logged in with).")
  public String caCert;

  @Option(
      names = {"-o", "--output"},
      scope = ScopeType.INHERIT,
      paramLabel = "FORMAT",
      description = "Output format: table, wide (more columns) or json (default table).")
  public Output output = Output.table;

  @Option(
      names = {"-q", "--quiet"},
      scope = ScopeType.INHERIT,
      description = "Print only ids or names, one per line.")
  public boolean quiet;

  @Option(
      names = "--no-color",
      scope = ScopeType.INHERIT,
      description = "Never use colours (also NO_COLOR).")
  public boolean noColor;

  @Option(
      names = {"-v", "--verbose"},
      scope = ScopeType.INHERIT,
      description = "Show details of errors.")
  public boolean verbose;

  @Option(
      names = {"-h", "--help"},
      scope = ScopeType.INHERIT,
      usageHelp = true,
      description = "Show this help and exit.")
  public boolean help;

  /** How results are printed. */
  public enum Output {
    table,
    wide,
    json
  }
}
