package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import dev.ocean.common.api.job.Job;
import java.io.ByteArrayInputStream;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.io.Writer;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Tag;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures what users feel, on this machine, with a real server and a real agent process (process
 * runtime): how soon a queued run starts once the slot it waits for frees up, and how soon a
 * printed line reaches {@code ocean logs -f}. Prints the figures; asserts only correctness.
 * Excluded from the normal build; run with {@code ./mvnw -B -pl ocean-cli -am test -Pbench}.
 */
@Tag("bench")
class LatencyBenchmark {
  private static final int PAIRS = 10;
  private static final int LINES = 30;

  @TempDir Path dir;

  @Test
  void queuedRunStartsSoonAfterTheSlotFreesAndLinesReachFollowersQuickly() throws Exception {
    try (TestCluster cluster = new TestCluster(dir);
        Agents agents = new Agents(dir.resolve("logs"))) {
      int cpus = Runtime.getRuntime().availableProcessors();
      agents.start(
          "rtx4090",
          "node",
          "join",
          "--server",
          cluster.url(),
          "--token",
          cluster.joinToken("1h"),
          "--name",
          "bench",
          "--state-dir",
          dir.resolve("agent").toString(),
          "--heartbeat",
          "1",
          "--runtime",
          "process",
          "--run-as",
          System.getProperty("user.name"));
      Poll.check(Duration.ofSeconds(60), "ready", () -> "ready".equals(cluster.stateOf("bench")));
      cluster
          .admin(
              "admin",
              "machine-type",
              "create",
              "whole",
              "--cpus",
              String.valueOf(cpus),
              "--memory",
              "1",
              "--gpus",
              "1")
          .ok();
      cluster.admin("admin", "image", "add", "host", "local/host").ok();
      cluster
          .admin(
              "admin",
              "quota",
              "grant",
              "ada@example.com",
              "--machine-type",
              "whole",
              "--count",
              "1000",
              "--days",
              "1")
          .ok();

      List<Long> handover = new ArrayList<>();
      for (int i = 0; i < PAIRS; i++) {
        long first = submit(cluster, "sleep 0.5");
        long second = submit(cluster, "true");
        Job a = await(cluster, first);
        Job b = await(cluster, second);
        handover.add(
            Duration.between(a.runs().getFirst().finishedAt(), b.runs().getFirst().startedAt())
                .toMillis());
      }

      long job =
          submit(
              cluster,
              "i=0; while [ $i -lt " + LINES + " ]; do date +%s%3N; i=$((i+1)); sleep 0.1; done");
      List<Long> lineDelays = Collections.synchronizedList(new ArrayList<>());
      StringBuilder partial = new StringBuilder();
      Writer sink =
          new Writer() {
            @Override
            public void write(char[] buf, int off, int len) {
              long now = System.currentTimeMillis();
              for (int i = off; i < off + len; i++) {
                if (buf[i] == '\n') {
                  lineDelays.add(now - Long.parseLong(partial.toString().strip()));
                  partial.setLength(0);
                } else {
                  partial.append(buf[i]);
                }
              }
            }

            @Override
            public void flush() {}

            @Override
            public void close() {}
          };
      int exit =
          Cli.run(
              new CliContext(
                  Map.of(
                      "OCEAN_SERVER",
                      cluster.url(),
                      "OCEAN_TOKEN",
                      cluster.userToken,
                      "XDG_CONFIG_HOME",
                      dir.resolve("home").toString()),
                  new ByteArrayInputStream(new byte[0]),
                  new PrintWriter(sink, true),
                  new PrintWriter(OutputStream.nullOutputStream()),
                  null,
                  false),
              "logs",
              String.valueOf(job),
              "-f");
      assertEquals(0, exit);
      assertEquals(LINES, lineDelays.size(), "every line arrives once");

      System.out.println("BENCH queued run start after its slot frees (ms): " + summary(handover));
      System.out.println("BENCH printed line to `logs -f` (ms): " + summary(lineDelays));
    }
  }

  private static long submit(TestCluster c, String script) {
    return Long.parseLong(
        c.user(
                "job",
                "submit",
                "--name",
                "b",
                "--machine-type",
                "whole",
                "--image",
                "host",
                "-q",
                "--",
                "sh",
                "-c",
                script)
            .ok()
            .out()
            .strip());
  }

  private static Job await(TestCluster c, long id) {
    return Poll.until(
        Duration.ofSeconds(60),
        "job " + id + " ends",
        () -> {
          Job j =
              c.user("job", "get", String.valueOf(id), "-o", "json")
                  .ok()
                  .json(new TypeReference<Job>() {});
          return j.finishedAt() != null ? j : null;
        });
  }

  private static String summary(List<Long> values) {
    List<Long> sorted = new ArrayList<>(values);
    Collections.sort(sorted);
    return "n="
        + sorted.size()
        + " p50="
        + sorted.get(sorted.size() / 2)
        + " p95="
        + sorted.get((int) Math.min(sorted.size() - 1, Math.round(sorted.size() * 0.95)))
        + " max="
        + sorted.getLast();
  }
}
