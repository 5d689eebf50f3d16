package dev.ocean.agent.facts;

import static java.nio.charset.StandardCharsets.UTF_8;

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
 * Gives a test the fake {@code nvidia-smi} in {@code ocean-agent/src/test/resources/nvidia-smi}:
 * the directory to put on {@code PATH} and the environment that selects a fixture.
 *
 * <p>The script is used from the source tree, not from {@code target/test-classes}, because Maven's
 * resource copy drops the executable bit. Other modules' tests can find it by the same relative
 * path from their own module directory.
 */
public final class FakeNvidiaSmi {

  /** Fixtures that answer queries. */
  public static final List<String> WORKING_FIXTURES = List.of("h100x8", "a100x4", "rtx4090");

  private static final String RELATIVE = "src/test/resources/nvidia-smi";

  private FakeNvidiaSmi() {}

  /** The {@code nvidia-smi} folder holding {@code bin/} and {@code fixtures/}. */
  public static Path root() {
    for (String candidate :
        List.of(RELATIVE, "ocean-agent/" + RELATIVE, "../ocean-agent/" + RELATIVE)) {
      Path dir = Path.of(candidate).toAbsolutePath().normalize();
      if (Files.isDirectory(dir.resolve("bin"))) {
        return dir;
      }
    }
    throw new IllegalStateException(
        "fake nvidia-smi not found from "
            + Path.of("").toAbsolutePath()
            + "; expected "
            + RELATIVE);
  }

  /** The folder to put first on {@code PATH}; it holds only {@code nvidia-smi}. */
  public static Path binDir() {
    Path bin = root().resolve("bin");
    Path script = bin.resolve("nvidia-smi");
    // A checkout with core.fileMode=false loses the bit that git records for the script.
    if (!Files.isExecutable(script) && !script.toFile().setExecutable(true)) {
      throw new IllegalStateException(script + " is not executable");
    }
    return bin;
  }

  /** The fixture folder with this name, e.g. {@code "h100x8"}. */
  public static Path fixture(String name) {
    Path dir = root().resolve("fixtures").resolve(name);
    if (!Files.isDirectory(dir)) {
      throw new IllegalArgumentException("no nvidia-smi fixture " + name + " in " + root());
    }
    return dir;
  }

  /** A fixture file's text, e.g. {@code read("a100x4", "gpus.csv")}. */
  public static String read(String fixture, String file) throws IOException {
    return Files.readString(fixture(fixture).resolve(file), UTF_8);
  }

  /**
   * An environment in which {@code nvidia-smi} is the fake answering from {@code fixture}; the rest
   * of {@code PATH} is kept so the script finds {@code awk} and {@code sleep}.
   */
  public static Map<String, String> env(String fixture) {
    Map<String, String> env = new HashMap<>(System.getenv());
    String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
    env.put("PATH", binDir() + File.pathSeparator + path);
    env.put("FAKE_NVIDIA_SMI_FIXTURE", fixture(fixture).toString());
    return env;
  }

  /** Runs the fake directly with {@code args} and returns its standard output. */
  public static String run(String fixture, String... args)
      throws IOException, InterruptedException {
    List<String> argv = new ArrayList<>();
    argv.add(binDir().resolve("nvidia-smi").toString());
    argv.addAll(List.of(args));
    ProcessBuilder builder =
        new ProcessBuilder(argv).redirectError(ProcessBuilder.Redirect.DISCARD);
    builder.environment().clear();
    builder.environment().putAll(env(fixture));
    Process process = builder.start();
    String out = new String(process.getInputStream().readAllBytes(), UTF_8);
    if (!process.waitFor(10, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      throw new IllegalStateException("fake nvidia-smi hung");
    }
    if (process.exitValue() != 0) {
      throw new IllegalStateException("fake nvidia-smi exited " + process.exitValue() + ": " + out);
    }
    return out;
  }
}
