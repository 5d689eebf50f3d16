package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * {@code GET /jobs} reuses the JSON of jobs that did not change; a user must never see an old
 * answer for that. Every kind of change shows in the next list: one the server makes (a report, a
 * cancel), one another statement makes behind its back (another server on the same database, a
 * repair by hand), and a queue position that moved while the job itself did not change. And the
 * list is byte for byte the jobs' own answers ({@code GET /jobs/{id}}, written afresh each time).
 */
class JobListingTest {
  @TempDir Path dir;
  private final HttpClient http = HttpClient.newHttpClient();

  private String get(ScriptedCluster c, String path) throws Exception {
    HttpResponse<String> r =
        http.send(
            HttpRequest.newBuilder(URI.create(c.server.url() + "/api/v1" + path))
                .header("Authorization", "Bearer " + c.adminToken)
                .build(),
            HttpResponse.BodyHandlers.ofString());
    assertEquals(200, r.statusCode(), path + ": " + r.body());
    return r.body();
  }

  /** The list as the jobs' own answers make it up, newest first. */
  private String fromJobs(ScriptedCluster c, List<Job> newestFirst) throws Exception {
    StringBuilder b = new StringBuilder("[");
    for (Job j : newestFirst) {
      b.append(b.length() == 1 ? "" : ",").append(get(c, "/jobs/" + j.id()));
    }
    return b.append(']').toString();
  }

  private String listUntil(ScriptedCluster c, Predicate<String> done) throws Exception {
    Instant end = Instant.now().plus(Duration.ofSeconds(20));
    String list = get(c, "/jobs");
    while (!done.test(list) && Instant.now().isBefore(end)) {
      Thread.sleep(50);
      list = get(c, "/jobs");
    }
    return list;
  }

  private void sql(ScriptedCluster c, String statement, Object... args) {
    c.server
        .database()
        .jdbi()
        .useHandle(
            h -> {
              var u = h.createUpdate(statement);
              for (int i = 0; i < args.length; i++) {
                u.bind(i, args[i]);
              }
              u.execute();
            });
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void everyChangeShowsInTheNextListAndTheListIsTheJobsOwnAnswers(TestStorage storage)
      throws Exception {
    try (var c = new ScriptedCluster(dir, storage)) {
      Job one = c.submit("one", null, 1);
      Job two = c.submit("two", null, 1);
      List<Assignment> started = new ArrayList<>(); // both go to n1's two GPUs
      while (started.size() < 2) {
        started.addAll(
            c.poll(started.stream().map(Assignment::runId).toArray(String[]::new)).start());
      }
      Job three = c.submit("three", null, 1);
      Job four = c.submit("four", null, 1);
      String list = listUntil(c, l -> l.contains("\"queuePosition\":2"));
      assertTrue(list.contains("\"queuePosition\":1"), list);
      List<Job> all = List.of(four, three, two, one);
      assertEquals(fromJobs(c, all), list);
      assertEquals(list, get(c, "/jobs"), "asked again, nothing changed");

      // behind the server's back: another server's write, a repair by hand
      sql(c, "UPDATE runs SET reason = 'poked by hand' WHERE job_id = ?", one.id());
      list = get(c, "/jobs");
      assertTrue(list.contains("poked by hand"), list);
      sql(c, "UPDATE jobs SET name = 'renamed-two' WHERE id = ?", two.id());
      list = get(c, "/jobs");
      assertTrue(list.contains("renamed-two"), list);
      assertEquals(fromJobs(c, all), list);

      // four moves up the queue when three goes, though nothing of four itself changed
      c.admin.post("/jobs/" + three.id() + "/cancel", null, Job.class);
      list = listUntil(c, l -> !l.contains("\"queuePosition\":2"));
      assertTrue(list.contains("\"queuePosition\":1"), list);
      assertTrue(!list.contains("\"three\""), "active jobs only: " + list);
      assertEquals(fromJobs(c, List.of(four, two, one)), list);

      // the server's own changes: the runs' reports
      String runOfOne =
          started.stream().filter(a -> a.jobId() == one.id()).findFirst().orElseThrow().runId();
      c.report(runOfOne, "running", null);
      c.report(runOfOne, "succeeded", 0);
      list = listUntil(c, l -> !l.contains("\"queuePosition\""));
      assertTrue(!list.contains("\"one\""), "one has ended: " + list);
      assertEquals(fromJobs(c, List.of(four, two)), list);
      String allStates = get(c, "/jobs?all=true");
      assertTrue(allStates.contains("\"cancelled\"") && allStates.contains("\"succeeded\""));
      assertEquals(fromJobs(c, List.of(four, three, two, one)), allStates);
    }
  }
}
