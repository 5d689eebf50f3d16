package dev.ocean.cli.container;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.docker.PodmanFixture;
import dev.ocean.cli.container.ContainerCluster.Run;
import dev.ocean.cli.node.Poll;
import dev.ocean.common.api.job.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs end to end in real containers: the {@code ocean} CLI against a real server, one {@code
 * ocean-agent} process with {@code --runtime docker} talking to a private Podman service. Skipped,
 * saying why, where Podman cannot run containers.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class ContainerJobsE2ETest {
  private static final Duration JOB_END = Duration.ofSeconds(60);

  private PodmanFixture podman;
  private ContainerCluster cluster;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    podman = PodmanFixture.start();
    cluster = new ContainerCluster(dir, podman);
  }

  @AfterAll
  void stop() throws Exception {
    try {
      if (cluster != null) {
        cluster.close();
      }
    } finally {
      if (podman != null) {
        podman.close();
      }
    }
  }

  @Test
  void submitWaitExitsWithTheContainersExitCode() {
    assertEquals(0, cluster.submit(List.of("--wait"), "sh", "-c", "exit 0").exit());

    Run failed = cluster.submit(List.of("--wait", "-o", "json"), "sh", "-c", "exit 3");

    assertEquals(3, failed.exit(), failed::err);
    Job job = cluster.job(failed.json(Job.class).id());
    assertEquals("failed", job.state());
    assertEquals(3, job.exitCode());
    assertEquals(3, job.runs().getFirst().exitCode());
    assertEquals(ContainerCluster.NODE, job.runs().getFirst().node());
  }

  @Test
  void waitSaysWhyARunWithoutAnExitCodeFailed() {
    cluster.admin("admin", "image", "add", "missing", "localhost/no-such-image:1").ok();
    Run r =
        cluster.user(
            "job",
            "submit",
            "--name",
            "m",
            "--machine-type",
            ContainerCluster.MACHINE_TYPE,
            "--image",
            "missing",
            "--wait",
            "--",
            "true");
    assertEquals(1, r.exit(), r::toString);
    assertTrue(
        r.err().contains("failed: run 0: image localhost/no-such-image:1 is not present on node"),
        r::toString);
  }

  @Test
  void containerSeesJobIdRunIndexAndUserEnvironment() {
    Job job =
        cluster
            .submit(List.of("--env", "GREETING=hello world", "--wait", "-o", "json"), "env")
            .ok()
            .json(Job.class);

    List<String> env = cluster.logs(job.id()).lines().toList();
    assertTrue(env.contains("OCEAN_JOB_ID=" + job.id()), () -> "env: " + env);
    assertTrue(env.contains("OCEAN_RUN_INDEX=0"), () -> "env: " + env);
    assertTrue(env.contains("GREETING=hello world"), () -> "env: " + env);
  }

  @Test
  void volumeIsTheWorkingDirectoryAndSharedWithTheStorage() throws Exception {
    cluster.user("volume", "create", "data", "--size", "1").ok();
    Path volume = cluster.storage.resolve("volumes/" + cluster.userId + "/data");
    Files.writeString(volume.resolve("in.txt"), "from the host\n");

    Job job =
        cluster
            .submit(
                List.of("--volume", "data", "--wait", "-o", "json"),
                "sh",
                "-c",
                "pwd; cat in.txt; echo from the container > /home/linuxbrew/out.txt")
            .ok()
            .json(Job.class);

    assertEquals("/home/linuxbrew\nfrom the host\n", cluster.logs(job.id()));
    assertEquals("from the container\n", Files.readString(volume.resolve("out.txt")));
  }

  @Test
  void logsHoldStdoutAndStderrCompletely() {
    // conmon splits lines at its 8 KiB reads; with both streams busy, Podman's API can put the
    // piece of one stream's line between the other's lines. Each stream writes alone, so the log
    // is exact; the pause lets conmon drain stdout before stderr starts.
    Job job =
        cluster
            .submit(
                List.of("--wait", "-o", "json"),
                "sh",
                "-c",
                "for i in $(seq 1 2000); do echo out-$i; done; sleep 1;"
                    + " for i in $(seq 1 2000); do echo err-$i >&2; done")
            .ok()
            .json(Job.class);

    String log = cluster.logs(job.id());
    assertAllInOrder("out-", log);
    assertAllInOrder("err-", log);
    assertEquals(numbered("out-") + numbered("err-"), log);
  }

  @Test
  void cancelStopsTheContainerWithinTheGracePeriodAndRemovesIt() throws Exception {
    long id = Long.parseLong(cluster.submit(List.of("-q"), "sleep", "300").ok().out().strip());
    String runId = id + "-0.1";
    Poll.check(JOB_END, "the run is running", () -> "running".equals(cluster.job(id).state()));
    Poll.check(JOB_END, "its container exists", () -> !containersOf(runId).isEmpty());

    Instant cancelled = Instant.now();
    cluster.user("job", "cancel", Long.toString(id)).ok();

    // sleep as PID 1 ignores SIGTERM, so this takes the whole 10 s grace before SIGKILL
    Poll.check(
        Duration.ofSeconds(25), "the job is cancelled", () -> cluster.job(id).finishedAt() != null);
    assertTrue(
        Duration.between(cancelled, Instant.now()).compareTo(Duration.ofSeconds(20)) < 0,
        "cancelled within the 10 s grace period plus slack");
    assertEquals("cancelled", cluster.job(id).state());
    Poll.check(
        Duration.ofSeconds(20), "the container is removed", () -> containersOf(runId).isEmpty());
  }

  @Test
  void restartedAgentAdoptsTheRunningContainer() throws Exception {
    long id =
        Long.parseLong(
            cluster
                .submit(List.of("-q"), "sh", "-c", "echo before; sleep 5; echo after; exit 4")
                .ok()
                .out()
                .strip());
    String runId = id + "-0.1";
    Poll.check(JOB_END, "'before' is shipped", () -> cluster.logs(id).equals("before\n"));
    Instant startedAt = cluster.job(id).runs().getFirst().startedAt();
    List<String> container = containersOf(runId);
    assertEquals(1, container.size());

    cluster.killAgent();
    assertEquals(container, containersOf(runId), "the container outlives its agent");
    cluster.restartAgent();

    Poll.check(JOB_END, "the job ends", () -> cluster.job(id).finishedAt() != null);
    Job job = cluster.job(id);
    assertEquals("failed", job.state(), () -> "job: " + job + "\nagent: " + agentLog());
    assertEquals(4, job.exitCode());
    assertEquals("before\nafter\n", cluster.logs(id));
    assertEquals(startedAt, job.runs().getFirst().startedAt(), "the run was not started again");
    assertEquals(container, containersCreated(runId), "one container, adopted, not a second one");
  }

  private static String numbered(String prefix) {
    StringBuilder lines = new StringBuilder();
    for (int i = 1; i <= 2000; i++) {
      lines.append(prefix).append(i).append('\n');
    }
    return lines.toString();
  }

  /**
   * Checks that {@code log} holds the lines PREFIX1 to PREFIX2000 in order, naming the first gap.
   */
  private static void assertAllInOrder(String prefix, String log) {
    List<String> lines = log.lines().filter(l -> l.startsWith(prefix)).toList();
    for (int i = 0; i < 2000; i++) {
      String expected = prefix + (i + 1);
      if (i >= lines.size() || !lines.get(i).equals(expected)) {
        int at = log.indexOf(prefix + i + "\n");
        throw new AssertionError(
            "expected "
                + expected
                + " after "
                + (i == 0 ? "nothing" : prefix + i)
                + "; the log there: "
                + (at < 0 ? "(not found)" : log.substring(at, Math.min(log.length(), at + 120)))
                + "; "
                + lines.size()
                + " lines with "
                + prefix);
      }
    }
    assertEquals(2000, lines.size(), prefix + " lines");
  }

  /** Ids of the containers, running or not, labelled with this run. */
  private List<String> containersOf(String runId) {
    try {
      return podman
          .output("ps", "-a", "--no-trunc", "-q", "--filter", "label=ocean.run-id=" + runId)
          .lines()
          .toList();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  /** Ids of every container ever created with this run's label, from the engine's event log. */
  private List<String> containersCreated(String runId) throws Exception {
    return podman
        .output(
            "events",
            "--stream=false",
            "--filter",
            "event=create",
            "--filter",
            "label=ocean.run-id=" + runId,
            "--format",
            "{{.ID}}")
        .lines()
        .toList();
  }

  private String agentLog() {
    try {
      return cluster.agentLog();
    } catch (Exception e) {
      return e.toString();
    }
  }
}
