package dev.ocean.cli.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.channels.Channels;
import java.nio.channels.Pipe;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean logs -f J | head -1}: when the reader of standard output goes away, following ends
 * at the next line with 141 (as after SIGPIPE) instead of streaming into the closed pipe until the
 * job ends (qa6 H12). Standard output is a real OS pipe behind a PrintStream, as System.out is.
 */
class FollowClosedPipeE2ETest {
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
  void followEndsWhenTheReaderCloses() throws Exception {
    long id = cluster.submitTicker();
    Pipe pipe = Pipe.open();
    PrintStream stdout = new PrintStream(Channels.newOutputStream(pipe.sink()), true);
    CompletableFuture<Integer> follow =
        CompletableFuture.supplyAsync(
            () ->
                cluster.ada.toStream(
                    stdout, StandardCharsets.UTF_8, "logs", String.valueOf(id), "-f"));
    BufferedReader head =
        new BufferedReader(
            new InputStreamReader(Channels.newInputStream(pipe.source()), StandardCharsets.UTF_8));
    assertEquals("tick 0", head.readLine());
    head.close(); // head -1 exits

    // the job never ends by itself: only the closed pipe can end the follow
    assertEquals(141, follow.get(120, TimeUnit.SECONDS));
    assertTrue(
        cluster.job(id).finishedAt() == null, "the job itself goes on: only the follow ended");
    cluster.ada.ocean("job", "cancel", String.valueOf(id)).ok();
  }
}
