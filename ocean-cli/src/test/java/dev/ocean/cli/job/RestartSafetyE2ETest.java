package dev.ocean.cli.job;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.cli.node.Poll;
import dev.ocean.common.api.job.Job;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server killed with SIGKILL while a job writes its log and another waits behind it: after a
 * restart on the same port and data directory nothing accepted is lost, every log byte is there
 * exactly once, and a {@code logs -f} that was running carries on.
 */
class RestartSafetyE2ETest {
  private static final String COUNT_TO_60 =
      "i=0; while [ $i -lt 60 ]; do echo line $i; i=$((i+1)); sleep 0.1; done";
  private static final String SIXTY_LINES =
      IntStream.range(0, 60).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());

  @TempDir Path dir;
  private JavaProcesses processes;
  private ServerProcess server;
  private JobCluster cluster;

  @BeforeEach
  void start() throws Exception {
    processes = new JavaProcesses(dir.resolve("logs"));
    server = new ServerProcess(processes, dir.resolve("data")).start();
    cluster = JobCluster.at(dir, processes, server.url(), server.storage());
  }

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    } else {
      processes.close();
    }
  }

  @Test
  void killedServerLosesNoJobAndNoLogByte() throws Exception {
    String whole = cluster.wholeNodeType();
    long first = cluster.submit("counter", whole, "--", "sh", "-c", COUNT_TO_60);
    long second = cluster.submit("behind", whole, "--", "sh", "-c", "echo after");
    StringWriter followed = new StringWriter();
    StringWriter followErr = new StringWriter();
    CompletableFuture<Integer> follow =
        CompletableFuture.supplyAsync(
            () -> cluster.ada.streaming(followed, followErr, "logs", String.valueOf(first), "-f"));
    Poll.check(
        Duration.ofSeconds(60),
        "lines flow: " + followed + "; agent log:\n" + cluster.agentLog(),
        () -> followed.toString().contains("line 5\n"));
    assertEquals("pending", cluster.job(second).state(), "the second job waits behind the first");

    server.kill();
    Thread.sleep(2000); // the outage: the run keeps writing, nobody can ship or read
    server.start();

    Result waitedFirst = cluster.ada.ocean("job", "wait", String.valueOf(first));
    assertEquals(0, waitedFirst.exit(), () -> waitedFirst + "\nagent log:\n" + cluster.agentLog());
    Result waitedSecond = cluster.ada.ocean("job", "wait", String.valueOf(second));
    assertEquals(
        0, waitedSecond.exit(), () -> waitedSecond + "\nagent log:\n" + cluster.agentLog());
    Job one = cluster.job(first);
    Job two = cluster.job(second);
    assertEquals("succeeded", one.state(), one::toString);
    assertEquals("succeeded", two.state(), two::toString);

    assertEquals(SIXTY_LINES, cluster.ada.ocean("logs", String.valueOf(first)).ok().out());
    assertEquals("after\n", cluster.ada.ocean("logs", String.valueOf(second)).ok().out());
    assertEquals(0, follow.get(60, TimeUnit.SECONDS), followErr::toString);
    assertEquals(SIXTY_LINES, followed.toString(), "logs -f resumed at its byte offset");
  }
}
