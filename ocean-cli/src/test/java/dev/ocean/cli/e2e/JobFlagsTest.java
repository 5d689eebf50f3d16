package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.AuditEntry;
import dev.ocean.common.api.job.Job;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every flag of the job commands, seen on the server: what {@code job submit} sends, what {@code
 * job list} filters, and that {@code job cancel} and {@code job wait} report each job.
 */
class JobFlagsTest {
  private static final TypeReference<List<Job>> JOBS = new TypeReference<>() {};

  @TempDir Path dir;
  TestCluster cluster;
  Ocean ada;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    ada = cluster.user("ada@example.com");
    cluster.grant("ada@example.com", "g1.small", 8, 1);
    ada.ocean("volume", "create", "data", "--size", "1").ok();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private String submit(String name, String... more) {
    List<String> args =
        new java.util.ArrayList<>(
            List.of(
                "job",
                "submit",
                "--name",
                name,
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "-q"));
    args.addAll(List.of(more));
    return ada.ocean(args.toArray(String[]::new)).ok().out().strip();
  }

  private List<Job> jobs() {
    return ada.ocean("job", "list", "--all", "-o", "json").json(JOBS);
  }

  @Test
  void aBadEnvVariableIsNamedByTheEnvFlagOnly() {
    for (String env : List.of("1A=B", "A B=C", "OCEAN_TOKEN=fake")) {
      String key = env.substring(0, env.indexOf('='));
      Run r =
          ada.ocean(
              "job",
              "submit",
              "--name",
              "envt",
              "--machine-type",
              "g1.small",
              "--image",
              "pytorch",
              "--env",
              env,
              "--",
              "true");
      assertEquals(2, r.exit(), r.err());
      assertEquals(
          "Error: --env '"
              + key
              + "' is not a valid variable: letters, digits and _ only, not starting with a digit"
              + " or OCEAN_.\n",
          r.err());
    }
  }

  @Test
  void everySubmitFlagReachesTheServer() {
    String id =
        submit(
            "train",
            "--volume",
            "data",
            "--repeat",
            "4",
            "--parallel",
            "2",
            "--retries",
            "3",
            "--reason",
            "paper deadline",
            "--env",
            "A=1",
            "--env",
            "B=two words",
            "--",
            "python",
            "train.py",
            "--epochs",
            "3");
    Job j = ada.ocean("job", "get", id, "-o", "json").json(Job.class);
    assertEquals("train", j.name());
    assertEquals("g1.small", j.machineType());
    assertEquals("pytorch", j.image());
    assertEquals("data", j.volume());
    assertEquals(4, j.repeat());
    assertEquals(2, j.parallel());
    assertEquals(3, j.retries(), "--retries reaches the server");
    assertEquals("paper deadline", j.reason());
    assertEquals(Map.of("A", "1", "B", "two words"), j.env());
    assertEquals(List.of("python", "train.py", "--epochs", "3"), j.command());
    assertTrue(ada.ocean("job", "get", id).ok().out().contains("requeued up to 3 time(s)"));
  }

  @Test
  void outOfRangeNumbersAreRefusedNamingTheFlagBeforeAnythingIsSubmitted() {
    for (String[] bad :
        List.of(
            new String[] {"--retries", "-1"},
            new String[] {"--retries", "11"},
            new String[] {"--repeat", "0"},
            new String[] {"--repeat", "1001"},
            new String[] {"--repeat", "2", "--parallel", "3"},
            new String[] {"-o", "jsn"},
            new String[] {"--count", "1"})) {
      List<String> args =
          new java.util.ArrayList<>(
              List.of("job", "submit", "--name", "x", "--machine-type", "g1.small"));
      args.addAll(List.of("--image", "pytorch"));
      args.addAll(List.of(bad));
      args.addAll(List.of("--", "true"));
      String why = ada.ocean(args.toArray(String[]::new)).fails(2);
      String flag = bad[bad.length - 2];
      assertTrue(why.startsWith(flag) || why.contains(flag), String.join(" ", bad) + ": " + why);
    }
    assertEquals(
        "--retries must be between 0 and 10, not 11.",
        ada.ocean(
                "job",
                "submit",
                "--name",
                "x",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "--retries",
                "11",
                "--",
                "true")
            .fails(2));
    assertEquals(
        "-o: 'jsn' is not one of table, wide, json.",
        ada.ocean(
                "job",
                "submit",
                "-o",
                "jsn",
                "--name",
                "x",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "--",
                "true")
            .fails(2));
    assertEquals(List.of(), jobs(), "no refused command submitted a job");
  }

  @Test
  void listFiltersByStateAndAllShowsFinishedJobs() {
    String running = submit("keep", "--", "sleep", "600");
    String gone = submit("gone", "--", "sleep", "600");
    ada.ocean("job", "cancel", gone).ok();
    assertEquals(List.of(running), ada.ocean("job", "list", "-q").ok().lines());
    assertEquals(
        List.of(gone),
        ada.ocean("job", "list", "--all", "--state", "cancelled", "-q").ok().lines());
    assertEquals(
        List.of(running), ada.ocean("job", "list", "--state", "pending", "-q").ok().lines());
    assertEquals(2, jobs().size());
    String why = ada.ocean("job", "list", "--state", "dreaming").fails(2);
    assertTrue(why.startsWith("--state"), why);
  }

  @Test
  void cancelActsOnEveryIdAndExitsWithTheWorstCode() {
    String a = submit("a", "--", "sleep", "600");
    String b = submit("b", "--", "sleep", "600");
    Run r = ada.ocean("job", "cancel", "999", a, b);
    assertEquals(3, r.exit(), r.toString());
    assertTrue(r.err().contains("Job " + a + " cancelled."), r.toString());
    assertTrue(r.err().contains("Job " + b + " cancelled."), r.toString());
    assertTrue(r.err().lines().anyMatch(l -> l.startsWith("Error:") && l.contains("999")), r.err());
    assertEquals(
        List.of("cancelled", "cancelled"),
        jobs().stream().map(Job::state).toList(),
        "the ids after the unknown one were cancelled too");

    Run again = ada.ocean("job", "cancel", a);
    assertEquals(0, again.exit(), again.toString());
    assertEquals("Job " + a + " already cancelled.\n", again.err());
  }

  @Test
  void waitingForACancelledJobExits143AndSaysSo() {
    String id = submit("w", "--", "sleep", "600");
    ada.ocean("job", "cancel", id).ok();
    Run w = ada.ocean("job", "wait", id);
    assertEquals(143, w.exit(), w.toString());
    assertEquals("Job " + id + " was cancelled.\n", w.err());
  }

  @Test
  void auditLimitIsTheNumberOfEntries() {
    Ocean admin = cluster.admin();
    List<AuditEntry> one =
        admin
            .ocean("admin", "audit", "--limit", "1", "-o", "json")
            .json(new TypeReference<List<AuditEntry>>() {});
    assertEquals(1, one.size());
    assertTrue(
        admin
                .ocean("admin", "audit", "-o", "json")
                .json(new TypeReference<List<AuditEntry>>() {})
                .size()
            > 1);
  }
}
