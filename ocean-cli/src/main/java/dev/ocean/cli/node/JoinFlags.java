package dev.ocean.cli.node;

import java.util.ArrayList;
import java.util.List;
import picocli.CommandLine.Option;

/**
 * The flags of {@code ocean-agent join} that {@code ocean node add} passes on, so a node added in
 * one command can take jobs with a volume (qa6 H7); the agent checks them as its own join does.
 */
final class JoinFlags {
  @Option(
      names = "--storage",
      paramLabel = "DIR",
      description =
          "The volume storage on the host (the server's storage, shared; it holds"
              + " .ocean-storage); without it the node takes no jobs with a volume.")
  String storage;

  @Option(
      names = "--advertise-address",
      paramLabel = "ADDR",
      description = "Docker runtime: the address instances' ports are published on.")
  String advertiseAddress;

  @Option(
      names = "--port-range",
      paramLabel = "FROM-TO",
      description = "Docker runtime: the host ports instances' SSH and services take.")
  String portRange;

  @Option(
      names = "--docker-host",
      paramLabel = "URL",
      description = "Docker runtime: the engine's socket on the host (default the usual ones).")
  String dockerHost;

  /** The flags given, as {@code ocean-agent join} arguments. */
  List<String> args() {
    List<String> args = new ArrayList<>();
    add(args, "--storage", storage);
    add(args, "--advertise-address", advertiseAddress);
    add(args, "--port-range", portRange);
    add(args, "--docker-host", dockerHost);
    return args;
  }

  private static void add(List<String> args, String flag, String value) {
    if (value != null) {
      args.addAll(List.of(flag, value));
    }
  }
}
