package dev.ocean.cli.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.cli.node.Poll;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The only server of a {@code logs -f} and a {@code job wait} dies: after a few seconds of failed
 * reconnects each says once on stderr that it lost the server and retries, says when it is back,
 * and the follow goes on from its byte offset without losing or repeating a line (qa8 Q3).
 */
class FollowOutageE2ETest {
  private static final String COUNT_TO_80 =
      "i=0; while [ $i -lt 80 ]; do echo line $i; i=$((i+1)); sleep 0.1; done";
  private static final String EIGHTY_LINES =
      IntStream.range(0, 80).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());

  @TempDir Path dir;
  private JavaProcesses processes;
  private ServerProcess server;
  private JobCluster cluster;
  // its own threads: the common pool may have one, and the two commands must run side by side
  private final ExecutorService threads = Executors.newCachedThreadPool();

  @BeforeEach
  void start() throws Exception {
    processes = new JavaProcesses(dir.resolve("logs"));
    server = new ServerProcess(processes, dir.resolve("data")).start();
    cluster = JobCluster.at(dir, processes, server.url(), server.storage());
  }

  @AfterEach
  void stop() throws Exception {
    threads.shutdownNow();
    if (cluster != null) {
      cluster.close();
    } else {
      processes.close();
    }
  }

  @Test
  void aFollowerSaysWhenItsServerIsGoneAndWhenItIsBack() throws Exception {
    long id = cluster.submit("counter", cluster.wholeNodeType(), "--", "sh", "-c", COUNT_TO_80);
    StringWriter followed = new StringWriter();
    StringWriter followErr = new StringWriter();
    CompletableFuture<Integer> follow =
        CompletableFuture.supplyAsync(
            () -> cluster.ada.streaming(followed, followErr, "logs", String.valueOf(id), "-f"),
            threads);
    StringWriter waitErr = new StringWriter();
    CompletableFuture<Integer> waiting =
        CompletableFuture.supplyAsync(
            () ->
                cluster.ada.streaming(
                    new StringWriter(), waitErr, "job", "wait", String.valueOf(id)),
            threads);
    Poll.check(
        Duration.ofSeconds(60),
        "lines flow: " + followed + "; agent log:\n" + cluster.agentLog(),
        () -> followed.toString().contains("line 3\n"));

    server.kill();
    String lost = "Lost the connection to " + server.url() + "; retrying (Ctrl-C to stop).\n";
    Poll.check(
        Duration.ofSeconds(60),
        "logs -f says the server is gone",
        () -> followErr.toString().contains(lost));
    Poll.check(
        Duration.ofSeconds(60),
        "job wait says the server is gone",
        () -> waitErr.toString().contains(lost));
    server.start();

    assertEquals(0, waiting.get(120, TimeUnit.SECONDS), waitErr::toString);
    assertEquals(0, follow.get(120, TimeUnit.SECONDS), followErr::toString);
    String back = "Reconnected to " + server.url() + ".\n";
    assertEquals(lost + back, followErr.toString(), "one line each, nothing else");
    assertEquals(lost + back, waitErr.toString(), "one line each, nothing else");
    assertEquals(EIGHTY_LINES, followed.toString(), "logs -f resumed at its byte offset");
  }
}
