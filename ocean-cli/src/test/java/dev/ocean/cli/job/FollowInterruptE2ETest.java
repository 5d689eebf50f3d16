package dev.ocean.cli.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Ctrl-C on {@code ocean logs -f}: only the following stops, and the CLI says so and how to stop
 * the job itself (qa6 H16). A real {@code ocean} process gets a real SIGINT.
 */
class FollowInterruptE2ETest {
  @TempDir Path dir;
  private JobCluster cluster;

  @BeforeEach
  void start() {
    cluster = JobCluster.inProcess(dir);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void ctrlCOnAFollowSaysTheJobKeepsRunning() throws Exception {
    long id = cluster.submitTicker();
    Path err = dir.resolve("follow.err");
    Process follow = follow(id, err);
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("tick 0", out.readLine(), () -> read(err));

      new ProcessBuilder("kill", "-INT", String.valueOf(follow.pid())).start().waitFor();

      assertTrue(follow.waitFor(60, TimeUnit.SECONDS), "the follow ends on Ctrl-C");
      assertEquals(
          "Stopped following job "
              + id
              + "; it keeps running (`ocean job cancel "
              + id
              + "` stops it).",
          read(err).lines().reduce((a, b) -> b).orElse(""));
      assertNull(cluster.job(id).finishedAt(), "the job itself goes on");
    } finally {
      follow.destroyForcibly();
      cluster.ada.ocean("job", "cancel", String.valueOf(id)).ok();
    }
  }

  @Test
  void ctrlCOnAFollowOfAQueuedJobSaysItStaysQueued() throws Exception {
    // qa11 T9: "it keeps running" was said of a job that never started
    cluster
        .admin
        .ocean(
            "admin", "machine-type", "create", "g1", "--cpus", "1", "--memory", "1", "--gpus", "1")
        .ok();
    cluster.grant(cluster.ada, "g1", 1);
    long id = cluster.submit("queued", "g1", "--", "true");
    Path err = dir.resolve("queued.err");
    Process follow = follow(id, err);
    try {
      dev.ocean.cli.node.Poll.check(
          java.time.Duration.ofSeconds(60),
          "the follow says why the job waits",
          () -> read(err).contains("is waiting"));
      new ProcessBuilder("kill", "-INT", String.valueOf(follow.pid())).start().waitFor();

      assertTrue(follow.waitFor(60, TimeUnit.SECONDS), "the follow ends on Ctrl-C");
      assertEquals(
          "Stopped following job "
              + id
              + "; it stays queued (`ocean job cancel "
              + id
              + "` removes it).",
          read(err).lines().reduce((a, b) -> b).orElse(""));
    } finally {
      follow.destroyForcibly();
      cluster.ada.ocean("job", "cancel", String.valueOf(id)).ok();
    }
  }

  /**
   * A real {@code ocean logs ID -f} process: stdout a real pipe to this test, stderr to {@code
   * err}.
   */
  private Process follow(long id, Path err) throws java.io.IOException {
    return ocean(err, "logs", String.valueOf(id), "-f");
  }

  /** A real {@code ocean ARGS} process: stdout a real pipe to this test, stderr to {@code err}. */
  private Process ocean(Path err, String... args) throws java.io.IOException {
    List<String> argv = new ArrayList<>();
    argv.add(ProcessHandle.current().info().command().orElseThrow());
    argv.addAll(List.of("-Xmx128m", "-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1"));
    argv.add("--enable-native-access=ALL-UNNAMED"); // as bin/ocean starts it
    argv.addAll(List.of("-cp", System.getProperty("java.class.path"), "dev.ocean.cli.Main"));
    argv.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(argv).redirectError(err.toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("OCEAN_"));
    pb.environment().put("XDG_CONFIG_HOME", cluster.ada.home().toString());
    pb.environment().put("OCEAN_SERVER", cluster.url);
    pb.environment().put("NO_COLOR", "1");
    return pb.start();
  }

  /**
   * {@code ocean logs -f J | head -1} of a job that then prints nothing: the follow ends with 141
   * once the reader is gone, without waiting for a next line that may never come (qa7 K10).
   */
  @Test
  void aFollowOfAQuietJobEndsWhenItsReaderGoesAway() throws Exception {
    long id = cluster.submit("quiet", "cpu1", "--", "sh", "-c", "echo first; exec sleep 600");
    Path err = dir.resolve("quiet.err");
    Process follow = follow(id, err);
    try {
      BufferedReader out =
          new BufferedReader(
              new InputStreamReader(follow.getInputStream(), StandardCharsets.UTF_8));
      assertEquals("first", out.readLine(), () -> read(err));
      out.close(); // head -1 exits: the pipe has no reader left

      assertTrue(follow.waitFor(60, TimeUnit.SECONDS), "the follow ends with its reader");
      assertEquals(141, follow.exitValue(), () -> read(err));
      assertEquals("", read(err), "it ends silently, as after SIGPIPE");
      assertNull(cluster.job(id).finishedAt(), "the job itself goes on");
    } finally {
      follow.destroyForcibly();
      cluster.ada.ocean("job", "cancel", String.valueOf(id)).ok();
    }
  }

  /** Ctrl-C on {@code instance create --wait} says that only the waiting stopped (qa7 K12). */
  @Test
  void ctrlCOnAnInstanceWaitSaysItGoesOnStarting() throws Exception {
    cluster.admin.ocean("admin", "image", "add", "box", "localhost/box:latest").ok();
    Path err = dir.resolve("wait.err");
    // this cluster has only the process runtime: the instance waits for ever
    Process wait =
        ocean(
            err, "instance", "create", "b1", "--machine-type", "cpu1", "--image", "box", "--wait");
    try {
      dev.ocean.cli.node.Poll.check(
          java.time.Duration.ofSeconds(60),
          "the instance is created and waited for",
          () -> read(err).contains("Instance b1 created"));
      new ProcessBuilder("kill", "-INT", String.valueOf(wait.pid())).start().waitFor();
      assertTrue(wait.waitFor(60, TimeUnit.SECONDS), "the wait ends on Ctrl-C");
      assertEquals(
          "Stopped waiting for instance b1; it goes on starting (`ocean instance stop b1` stops"
              + " it).",
          read(err).lines().reduce((a, b) -> b).orElse(""));
    } finally {
      wait.destroyForcibly();
    }
  }

  private static String read(Path file) {
    try {
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (java.io.IOException e) {
      return e.toString();
    }
  }
}
