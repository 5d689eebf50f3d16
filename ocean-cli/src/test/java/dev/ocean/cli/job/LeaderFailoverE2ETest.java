package dev.ocean.cli.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.JsonNode;
import dev.ocean.cli.node.Poll;
import dev.ocean.common.api.job.Job;
import dev.ocean.server.store.PostgresFixture;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Two real servers on one real PostgreSQL, one real agent given both addresses: the leader is
 * killed with SIGKILL while a stream of jobs runs. The other server leads within 10 s, every job
 * runs once and succeeds with every log byte, a {@code logs -f} held on the survivor carries on and
 * one held on the leader resumes on the survivor, and a quota request approved just before the kill
 * stays approved.
 */
class LeaderFailoverE2ETest {
  private static final String COUNT_TO_60 =
      "i=0; while [ $i -lt 60 ]; do echo line $i; i=$((i+1)); sleep 0.1; done";
  private static final String SIXTY_LINES =
      IntStream.range(0, 60).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
  private static final int STREAM = 12;

  @TempDir Path dir;
  private JavaProcesses processes;
  private ServerProcess leader;
  private ServerProcess survivor;
  private JobCluster cluster;

  @BeforeEach
  void start() throws Exception {
    String db = PostgresFixture.shared().createDatabase("leader_failover");
    processes = new JavaProcesses(dir.resolve("logs"));
    leader = new ServerProcess(processes, dir.resolve("a"), "server-a", "--db", db).start();
    Poll.check(
        Duration.ofSeconds(10),
        "the first server up leads; its log:\n" + leader.log(),
        () -> leader.log().contains("now leads the cluster"));
    survivor = new ServerProcess(processes, dir.resolve("b"), "server-b", "--db", db).start();
    assertTrue(!survivor.log().contains("now leads the cluster"), survivor::log);
    cluster = JobCluster.at(dir, processes, leader.url() + "," + survivor.url(), leader.storage());
  }

  @AfterEach
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    } else {
      processes.close();
    }
  }

  private static String lines(String job) {
    return "i=0; while [ $i -lt 20 ]; do echo " + job + " line $i; i=$((i+1)); sleep 0.05; done";
  }

  private static String expected(String job) {
    return IntStream.range(0, 20)
        .mapToObj(i -> job + " line " + i + "\n")
        .collect(Collectors.joining());
  }

  @Test
  void killedLeaderIsReplacedWithinTenSecondsAndNothingIsLost() throws Exception {
    cluster.grant(cluster.ada, "cpu1", STREAM + 2);
    long counter = cluster.submit("counter", "cpu1", "--", "sh", "-c", COUNT_TO_60);
    Person adaOnSurvivor =
        new Person(cluster.ada.email, dir.resolve("people/ada-b"), survivor.url())
            .login(JobCluster.PASSWORD);
    StringWriter followed = new StringWriter();
    StringWriter followErr = new StringWriter();
    CompletableFuture<Integer> follow =
        CompletableFuture.supplyAsync(
            () ->
                adaOnSurvivor.streaming(
                    followed, followErr, "logs", String.valueOf(counter), "-f"));
    // ada's own terminal names both servers and reads from the leader, the first that answers
    StringWriter followedViaBoth = new StringWriter();
    StringWriter followViaBothErr = new StringWriter();
    CompletableFuture<Integer> followViaBoth =
        CompletableFuture.supplyAsync(
            () ->
                cluster.ada.streaming(
                    followedViaBoth, followViaBothErr, "logs", String.valueOf(counter), "-f"));
    List<Long> stream = new ArrayList<>();
    for (int i = 0; i < STREAM / 2; i++) {
      stream.add(cluster.submit("s" + i, "cpu1", "--", "sh", "-c", lines("s" + i)));
    }
    String request =
        cluster
            .ada
            .ocean(
                "quota",
                "request",
                "--machine-type",
                "cpu2",
                "--count",
                "3",
                "--days",
                "5",
                "--reason",
                "failover",
                "-q")
            .ok()
            .out()
            .strip();
    cluster.admin.ocean("admin", "quota-request", "approve", request, "-q").ok();
    Poll.check(
        Duration.ofSeconds(60),
        "the follower on the survivor sees lines; agent log:\n" + cluster.agentLog(),
        () ->
            followed.toString().contains("line 3\n")
                && followedViaBoth.toString().contains("line 3\n"));

    leader.kill();
    long killed = System.nanoTime();
    Poll.check(
        Duration.ofSeconds(10),
        "the survivor leads within 10 s of the kill; its log:\n" + survivor.log(),
        () -> survivor.log().contains("now leads the cluster"));
    assertTrue(System.nanoTime() - killed < TimeUnit.SECONDS.toNanos(10));

    for (int i = STREAM / 2; i < STREAM; i++) {
      stream.add(cluster.submit("s" + i, "cpu1", "--", "sh", "-c", lines("s" + i)));
    }
    long big1 = cluster.submit("big1", "cpu2", "--", "true");
    long big2 = cluster.submit("big2", "cpu2", "--", "true");

    for (int i = 0; i < STREAM; i++) {
      long id = stream.get(i);
      Result waited = cluster.ada.ocean("job", "wait", String.valueOf(id));
      assertEquals(0, waited.exit(), () -> waited + "\nagent log:\n" + cluster.agentLog());
      Job job = cluster.job(id);
      assertEquals("succeeded", job.state(), job::toString);
      assertEquals(1, job.runs().size(), job::toString);
      assertEquals(1, job.runs().get(0).attempt(), () -> "ran once: " + job);
      assertEquals(expected("s" + i), cluster.ada.ocean("logs", String.valueOf(id)).ok().out());
    }
    assertEquals(0, follow.get(60, TimeUnit.SECONDS), followErr::toString);
    assertEquals(SIXTY_LINES, followed.toString(), "logs -f on the survivor carried on");
    assertEquals(0, followViaBoth.get(60, TimeUnit.SECONDS), followViaBothErr::toString);
    assertEquals(
        SIXTY_LINES,
        followedViaBoth.toString(),
        "logs -f on the killed leader resumed on the survivor at its byte offset");
    assertEquals(1, cluster.job(counter).runs().get(0).attempt());
    assertEquals(SIXTY_LINES, cluster.ada.ocean("logs", String.valueOf(counter)).ok().out());

    List<JsonNode> requests =
        cluster
            .ada
            .ocean("quota", "requests", "--all", "-o", "json")
            .json(new TypeReference<List<JsonNode>>() {});
    assertTrue(
        requests.stream()
            .anyMatch(
                r ->
                    r.get("id").asText().equals(request)
                        && r.get("state").asText().equals("approved")),
        requests::toString);
    for (long big : List.of(big1, big2)) {
      assertEquals(0, cluster.ada.ocean("job", "wait", String.valueOf(big)).exit());
    }
  }
}
