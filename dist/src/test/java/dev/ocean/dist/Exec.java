package dev.ocean.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

/** Runs a program of the distribution as a user would: a child process with its own environment. */
final class Exec {
  private static final long TIMEOUT_SECONDS = 120;

  /** What a finished program left behind. */
  record Result(List<String> command, int exit, String stdout, String stderr) {
    String output() {
      return stdout + stderr;
    }

    /** A description for assertion messages. */
    String describe() {
      return String.join(" ", command)
          + " exited "
          + exit
          + "\n--- stdout\n"
          + stdout
          + "--- stderr\n"
          + stderr;
    }
  }

  private Exec() {}

  /**
   * Runs {@code command} with {@code env} added to this JVM's environment (an empty value removes a
   * variable) and {@code stdin}.
   */
  static Result run(Path workDir, Map<String, String> env, String stdin, String... command) {
    return run(workDir, false, env, stdin, command);
  }

  /**
   * Runs {@code command} with {@code env} as its whole environment: no JAVA_HOME, no PATH but what
   * {@code env} says, as on a machine without Java.
   */
  static Result runIn(Path workDir, Map<String, String> env, String... command) {
    return run(workDir, true, env, "", command);
  }

  private static Result run(
      Path workDir, boolean clean, Map<String, String> env, String stdin, String... command) {
    ProcessBuilder pb = new ProcessBuilder(command).directory(workDir.toFile());
    if (clean) {
      pb.environment().clear();
      // as the failsafe configuration does for the others: no test leaves a daemon behind
      pb.environment().put("OCEAN_NO_DAEMON", "1");
    }
    // an empty value removes the variable (DaemonIT: OCEAN_NO_DAEMON)
    env.forEach(
        (k, v) -> {
          if (v.isEmpty()) {
            pb.environment().remove(k);
          } else {
            pb.environment().put(k, v);
          }
        });
    try {
      Process p = pb.start();
      CompletableFuture<String> out = drain(p.getInputStream());
      CompletableFuture<String> err = drain(p.getErrorStream());
      try (OutputStream in = p.getOutputStream()) {
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
      }
      if (!p.waitFor(TIMEOUT_SECONDS, TimeUnit.SECONDS)) {
        p.destroyForcibly();
        throw new AssertionError(
            String.join(" ", command) + " did not finish in " + TIMEOUT_SECONDS + " s");
      }
      return new Result(List.of(command), p.exitValue(), out.join(), err.join());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted", e);
    }
  }

  static Result run(Path workDir, String... command) {
    return run(workDir, Map.of(), "", command);
  }

  private static CompletableFuture<String> drain(InputStream stream) {
    CompletableFuture<String> text = new CompletableFuture<>();
    Thread.ofVirtual()
        .start(
            () -> {
              try (stream) {
                text.complete(new String(stream.readAllBytes(), StandardCharsets.UTF_8));
              } catch (IOException e) {
                text.completeExceptionally(e);
              }
            });
    return text;
  }
}
