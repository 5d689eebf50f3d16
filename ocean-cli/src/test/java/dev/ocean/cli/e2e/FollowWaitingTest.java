package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.node.Poll;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ocean logs -f} of a queued job says why it waits, instead of silence (qa6 H9). */
class FollowWaitingTest {
  @TempDir Path dir;
  TestCluster cluster;
  Ocean ada;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    ada = cluster.user("ada@example.com");
    cluster.grant("ada@example.com", "g1.small", 1, 1);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void followOfAQueuedJobSaysWhyItWaits() throws Exception {
    String id =
        ada.ocean(
                "job",
                "submit",
                "-q",
                "--name",
                "q",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "--",
                "true")
            .ok()
            .out()
            .strip();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> follow =
        CompletableFuture.supplyAsync(() -> ada.streaming(out, err, "logs", id, "-f"));

    // no node has joined this cluster: the run waits, and the follow says so on stderr
    Poll.check(
        Duration.ofSeconds(30),
        "the follow says why the run waits: " + err,
        () -> err.toString().contains("Job " + id + " run 0 is waiting (queue #1): "));
    assertTrue(err.toString().contains("no node"), err.toString());

    ada.ocean("job", "cancel", id).ok();
    follow.get(60, TimeUnit.SECONDS);
  }

  @Test
  void followOfParallelRunsSaysItFollowsThemOneAfterAnother() throws Exception {
    cluster.grant("ada@example.com", "g1.small", 2, 1);
    String id =
        ada.ocean(
                "job",
                "submit",
                "-q",
                "--name",
                "par",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "--repeat",
                "2",
                "--parallel",
                "2",
                "--",
                "true")
            .ok()
            .out()
            .strip();
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> follow =
        CompletableFuture.supplyAsync(() -> ada.streaming(out, err, "logs", id, "-f"));

    Poll.check(
        Duration.ofSeconds(30),
        "the follow says how to watch the other run: " + err,
        () -> err.toString().contains("`ocean logs " + id + "/1 -f` follows run 1 live"));

    ada.ocean("job", "cancel", id).ok();
    follow.get(60, TimeUnit.SECONDS);
  }
}
