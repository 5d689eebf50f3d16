package dev.ocean.cli.instance;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The {@code ocean} command line as a real process on this JVM's class path, as ssh runs a {@code
 * ProxyCommand}: raw bytes on stdin and stdout, messages on stderr (kept in a file), its own
 * environment with the server and token and a config home of its own.
 */
final class CliProcess {
  private static final List<String> JVM =
      List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto");

  private final Path dir;
  private final Map<String, String> env;

  CliProcess(Path dir, String server, String token) {
    this.dir = dir;
    this.env =
        Map.of("OCEAN_SERVER", server, "OCEAN_TOKEN", token, "XDG_CONFIG_HOME", dir.toString());
  }

  /** Environment a parent process (ssh) must pass on for the launcher to find the server. */
  Map<String, String> env() {
    return env;
  }

  /** Starts {@code ocean ARGS}; its stderr goes to {@code dir/LABEL.err}. */
  Process start(String label, String... args) throws IOException {
    List<String> argv = new ArrayList<>(command());
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectError(stderrFile(label).toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OCEAN_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  Path stderrFile(String label) {
    return dir.resolve(label + ".err");
  }

  String stderr(String label) throws IOException {
    Path f = stderrFile(label);
    return Files.exists(f) ? Files.readString(f) : "";
  }

  /** A launcher script, as bin/ocean is, for configs that name one (ssh's ProxyCommand). */
  Path launcher() throws IOException {
    Path script = dir.resolve("bin").resolve("ocean");
    Files.createDirectories(script.getParent());
    StringBuilder b = new StringBuilder("#!/bin/sh\nexec");
    for (String word : command()) {
      b.append(" '").append(word.replace("'", "'\\''")).append('\'');
    }
    b.append(" \"$@\"\n");
    Files.writeString(script, b.toString());
    Files.setPosixFilePermissions(script, PosixFilePermissions.fromString("rwx------"));
    return script;
  }

  private static List<String> command() {
    List<String> argv = new ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElseThrow());
    argv.addAll(JVM);
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add("dev.ocean.cli.Main");
    return argv;
  }
}
