package dev.ocean.dist;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A real {@code bin/ocean-server --port 0} of the distribution, with its first admin. */
final class ServerProcess implements AutoCloseable {
  private static final Pattern SERVING = Pattern.compile("serving on http://\\S+:(\\d+)");
  private final Process process;
  private final String url;

  private ServerProcess(Process process, String url) {
    this.process = process;
    this.url = url;
  }

  static ServerProcess start(String launcher, Path dir, String adminEmail, String adminPassword)
      throws Exception {
    ProcessBuilder pb =
        new ProcessBuilder(launcher, "--port", "0", "--host", "127.0.0.1", "--data", dir.toString())
            .directory(dir.getParent().toFile())
            .redirectErrorStream(true);
    pb.environment().put("OCEAN_ADMIN_EMAIL", adminEmail);
    pb.environment().put("OCEAN_ADMIN_PASSWORD", adminPassword);
    Process p = pb.start();
    CompletableFuture<Integer> port = new CompletableFuture<>();
    StringBuilder output = new StringBuilder();
    Thread.ofVirtual()
        .start(
            () -> {
              try (BufferedReader r =
                  new BufferedReader(
                      new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = r.readLine(); line != null; line = r.readLine()) {
                  synchronized (output) {
                    output.append(line).append('\n');
                  }
                  Matcher m = SERVING.matcher(line);
                  if (m.find()) {
                    port.complete(Integer.parseInt(m.group(1)));
                  }
                }
              } catch (IOException ignored) {
                // the stream closes when the server is destroyed
              }
              port.completeExceptionally(new AssertionError("ocean-server exited:\n" + output));
            });
    try {
      return new ServerProcess(p, "http://127.0.0.1:" + port.get(120, TimeUnit.SECONDS));
    } catch (TimeoutException e) {
      p.destroyForcibly();
      synchronized (output) {
        throw new AssertionError("ocean-server did not say where it serves in 120 s:\n" + output);
      }
    }
  }

  String url() {
    return url;
  }

  @Override
  public void close() throws InterruptedException {
    process.destroy();
    if (!process.waitFor(30, TimeUnit.SECONDS)) {
      process.destroyForcibly();
    }
  }
}
