package dev.ocean.cli.job;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts Ocean programs ({@code dev.ocean.agent.Main}, {@code dev.ocean.server.Main}) as real OS
 * processes on this test JVM's class path, each logging to {@code logs/LABEL.log}, and destroys
 * every one it started, with their children, on {@link #close()}.
 */
final class JavaProcesses implements AutoCloseable {
  /** Small heaps, as the launchers in {@code dist} use, so two JVMs fit beside the tests. */
  private static final List<String> JVM_OPTIONS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-Xmx256m",
          "-Xss512k",
          "-XX:+UseSerialGC",
          "-XX:TieredStopAtLevel=1");

  private final Path logs;
  private final List<Process> started = new ArrayList<>();

  JavaProcesses(Path logs) {
    this.logs = logs;
  }

  /** Starts {@code java MAIN ARGS} with {@code env} added to this JVM's environment. */
  Process start(String label, Map<String, String> env, String main, String... args)
      throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElseThrow());
    argv.addAll(JVM_OPTIONS);
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add(main);
    argv.addAll(List.of(args));
    Files.createDirectories(logs);
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(logFile(label).toFile()));
    Map<String, String> all = new HashMap<>(System.getenv());
    all.keySet().removeIf(k -> k.startsWith("OCEAN_"));
    all.putAll(env);
    pb.environment().clear();
    pb.environment().putAll(all);
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** Everything the process with this label printed so far. */
  String log(String label) {
    try {
      Path f = logFile(label);
      return Files.exists(f) ? Files.readString(f) : "";
    } catch (IOException e) {
      return e.toString();
    }
  }

  private Path logFile(String label) {
    return logs.resolve(label + ".log");
  }

  @Override
  public void close() throws InterruptedException {
    for (Process p : started) {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
    for (Process p : started) {
      p.waitFor(10, TimeUnit.SECONDS);
    }
    started.clear();
  }
}
