package dev.ocean.cli.node;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * Starts {@code ocean-agent} as real OS processes on this test JVM's class path, each seeing the
 * fake {@code nvidia-smi} with one fixture, and destroys every one it started on {@link #close()}.
 */
final class Agents implements AutoCloseable {
  /** The JVM options of {@code dist/src/bin/ocean-agent}, so memory use is what nodes see. */
  static final List<String> JVM_OPTIONS =
      List.of(
          "--enable-native-access=ALL-UNNAMED",
          "-Xmx64m",
          "-Xss512k",
          "-XX:+UseSerialGC",
          "-XX:MaxMetaspaceSize=96m",
          "-XX:ReservedCodeCacheSize=32m",
          "-XX:TieredStopAtLevel=1");

  private static final Path FAKE =
      Path.of("../ocean-agent/src/test/resources/nvidia-smi").toAbsolutePath().normalize();

  private final Path logs;
  private final List<Process> started = new ArrayList<>();

  Agents(Path logs) {
    this.logs = logs;
  }

  /** An environment where {@code nvidia-smi} answers from {@code fixture} (e.g. h100x8). */
  static Map<String, String> env(String fixture) {
    Path bin = FAKE.resolve("bin");
    if (!Files.isExecutable(bin.resolve("nvidia-smi"))
        && !bin.resolve("nvidia-smi").toFile().setExecutable(true)) {
      throw new IllegalStateException("the fake nvidia-smi in " + bin + " is not executable");
    }
    Map<String, String> env = new HashMap<>(System.getenv());
    env.put("PATH", bin + File.pathSeparator + System.getenv().getOrDefault("PATH", "/usr/bin"));
    env.put("FAKE_NVIDIA_SMI_FIXTURE", FAKE.resolve("fixtures").resolve(fixture).toString());
    env.remove("OCEAN_AGENT_STATE");
    return env;
  }

  /** Starts {@code ocean-agent ARGS}; its output goes to {@code logs/LABEL.log}. */
  Process start(String fixture, String label, String... args) throws IOException {
    List<String> argv = new ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElseThrow());
    argv.addAll(JVM_OPTIONS);
    argv.add("-cp");
    argv.add(System.getProperty("java.class.path"));
    argv.add("dev.ocean.agent.Main");
    argv.addAll(List.of(args));
    Files.createDirectories(logs);
    File log = logs.resolve(label + ".log").toFile();
    ProcessBuilder pb =
        new ProcessBuilder(argv)
            .redirectErrorStream(true)
            .redirectOutput(ProcessBuilder.Redirect.appendTo(log));
    pb.environment().clear();
    pb.environment().putAll(env(fixture));
    Process p = pb.start();
    started.add(p);
    return p;
  }

  /** Runs {@code ocean-agent ARGS} to the end and returns its exit code and output. */
  TestCluster.Run run(String fixture, String label, String... args)
      throws IOException, InterruptedException {
    Process p = start(fixture, label, args);
    if (!p.waitFor(60, TimeUnit.SECONDS)) {
      p.destroyForcibly();
      throw new AssertionError("ocean-agent " + String.join(" ", args) + " did not finish");
    }
    String out = Files.readString(logs.resolve(label + ".log"));
    return new TestCluster.Run(p.exitValue(), out, out);
  }

  /** The output so far of the process started with this label. */
  String log(String label) throws IOException {
    Path f = logs.resolve(label + ".log");
    return Files.exists(f) ? Files.readString(f) : "";
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
