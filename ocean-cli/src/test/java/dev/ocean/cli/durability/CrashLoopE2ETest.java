package dev.ocean.cli.durability;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.node.Poll;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The server SIGKILLed at random moments (seeded; {@code -Docean.crash.seed=N} replays a run) ten
 * times during mixed load: submissions, cancels, a real agent's heartbeats and log shipping, and
 * {@code logs -f} streams. Afterwards every acknowledged job is there and ends, every log holds
 * each line exactly once, quota use returns to zero and the agent is back without help.
 */
class CrashLoopE2ETest {
  private static final int KILLS = 10;
  private static final int LINES = 15;
  private static final String SCRIPT =
      "i=0; while [ $i -lt "
          + LINES
          + " ]; do echo \"$OCEAN_JOB_ID line $i\"; i=$((i+1)); sleep 0.03; done";
  private static final Set<String> ENDED = Set.of("succeeded", "failed", "cancelled");

  @TempDir Path dir;
  private CrashingServer cluster;
  private volatile boolean stop;

  @AfterEach
  void tearDown() throws InterruptedException {
    stop = true;
    if (cluster != null) {
      cluster.close();
    }
  }

  @Test
  void everyAcknowledgedJobAndLogByteSurvivesTenKills() throws Exception {
    long seed = Long.getLong("ocean.crash.seed", 20261130L);
    System.out.println(
        "crash loop seed: " + seed + " (replay with -Docean.crash.seed=" + seed + ")");
    Random random = new Random(seed);
    cluster = new CrashingServer(dir);
    cluster.start();
    OceanClient admin = cluster.setUp(3);

    Map<Long, Boolean> acked = new ConcurrentHashMap<>();
    List<Thread> load = new ArrayList<>();
    load.add(loop("submit", 150, () -> acked.put(submit(admin).id(), true)));
    Random picks = new Random(seed + 1);
    load.add(
        loop(
            "cancel",
            900,
            () -> {
              List<Long> ids = List.copyOf(acked.keySet());
              if (!ids.isEmpty()) {
                admin.post(
                    "/jobs/" + ids.get(picks.nextInt(ids.size())) + "/cancel", null, Job.class);
              }
            }));
    load.add(
        loop(
            "follow",
            50,
            () -> {
              long newest = acked.keySet().stream().mapToLong(Long::longValue).max().orElse(0);
              if (newest > 0) {
                try (InputStream in =
                    admin.stream("/jobs/" + newest + "/runs/0/logs?follow=true")) {
                  in.readAllBytes();
                }
              }
            }));

    for (int i = 0; i < KILLS; i++) {
      Thread.sleep(1500 + random.nextInt(2500));
      cluster.kill();
      cluster.start();
    }
    Thread.sleep(1000);
    stop = true;
    for (Thread t : load) {
      t.join(30_000);
    }

    List<String> problems = new ArrayList<>();
    Map<String, Integer> states = new java.util.TreeMap<>();
    for (long id : acked.keySet().stream().sorted().toList()) {
      Job job =
          Poll.until(
              Duration.ofSeconds(90),
              "job " + id + " ends; agent log:\n" + cluster.log("agent"),
              () -> {
                Job j = admin.get("/jobs/" + id, Job.class);
                return ENDED.contains(j.state()) ? j : null;
              });
      states.merge(job.state(), 1, Integer::sum);
      String log = log(admin, id);
      String expected = expected(id);
      if (job.state().equals("succeeded") && !log.equals(expected)) {
        problems.add("job " + id + " succeeded with log:\n" + log);
      } else if (job.state().equals("cancelled") && !expected.startsWith(log)) {
        problems.add("job " + id + " was cancelled with a log that is not a clean prefix:\n" + log);
      } else if (job.state().equals("failed")) {
        problems.add("job " + id + " failed: " + job.runs());
      }
    }
    System.out.println("acknowledged jobs by end state: " + states);
    assertEquals(List.of(), problems, "seed " + seed + "; agent log:\n" + cluster.log("agent"));
    assertTrue(acked.size() >= 5, "the load got jobs through between the kills: " + states);

    Poll.check(
        Duration.ofSeconds(30),
        "quota use returns to zero",
        () ->
            admin.get("/quotas", new TypeReference<List<Quota>>() {}).stream()
                .allMatch(q -> q.inUse() == 0));
    Job last = submit(admin);
    Poll.check(
        Duration.ofSeconds(60),
        "a job after the crashes runs on the reconnected agent; agent log:\n"
            + cluster.log("agent"),
        () -> admin.get("/jobs/" + last.id(), Job.class).state().equals("succeeded"));
    assertEquals(expected(last.id()), log(admin, last.id()));
  }

  private static Job submit(OceanClient admin) {
    return admin.post(
        "/jobs",
        new Job.Submit(
            "crash",
            "cpu1",
            "host",
            null,
            List.of("sh", "-c", SCRIPT),
            Map.of(),
            1,
            1,
            "test",
            null),
        Job.class);
  }

  private static String expected(long id) {
    return IntStream.range(0, LINES)
        .mapToObj(i -> id + " line " + i + "\n")
        .collect(Collectors.joining());
  }

  private static String log(OceanClient admin, long id) throws Exception {
    try (InputStream in = admin.stream("/jobs/" + id + "/runs/0/logs")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  /** Runs {@code step} every {@code pauseMillis} until the test stops; failures are expected. */
  private Thread loop(String name, long pauseMillis, ThrowingRunnable step) {
    return Thread.ofPlatform()
        .name("load-" + name)
        .daemon()
        .start(
            () -> {
              while (!stop) {
                try {
                  step.run();
                } catch (OceanClientException e) {
                  // the server is down, restarting, or says no (quota, already ended)
                } catch (Exception e) {
                  // a stream cut by the kill
                }
                try {
                  Thread.sleep(pauseMillis);
                } catch (InterruptedException e) {
                  return;
                }
              }
            });
  }

  @FunctionalInterface
  private interface ThrowingRunnable {
    void run() throws Exception;
  }
}
