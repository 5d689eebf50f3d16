package dev.ocean.server.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.server.store.MovableClock;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An instance whose node goes silent keeps running for the instance grace, so that the agent coming
 * back re-adopts its container (and the user's session); only after the grace does it fail. Jobs on
 * the same node fail at once, as before.
 */
class InstanceNodeLossTest {
  private static final String HOST_KEY = InstanceLifecycleTest.HOST_KEY;

  @TempDir Path dir;
  ScriptedCluster c;

  @AfterEach
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  private Instance get(String name) {
    return c.admin.get("/instances/" + name, Instance.class);
  }

  /** The instance's run and the job, both running on n1. */
  private record Running(Assignment instance, long jobId) {}

  private Running instanceAndJobRunning() {
    c.admin.post(
        "/instances",
        new Instance.Create("dev", "g1", "busybox", null, "dev work"),
        Instance.class);
    Job job = c.submit("train", null, 1);
    c.server.scheduler().pass();
    List<Assignment> started = c.poll().start();
    assertEquals(2, started.size());
    Assignment inst = started.stream().filter(a -> a.instance() != null).findFirst().orElseThrow();
    Assignment run = started.stream().filter(a -> a.instance() == null).findFirst().orElseThrow();
    c.node.post(
        "/agent/runs/" + inst.runId() + "/status",
        new RunReport(
            "running",
            null,
            null,
            "/home/linuxbrew",
            new InstanceEndpoints("127.0.0.1", 30022, 30080, HOST_KEY, true, true)),
        LogAck.class);
    c.report(run.runId(), "running", null);
    assertEquals("running", c.job(job.id()).state());
    return new Running(inst, job.id());
  }

  /** What the lost-node timer does once n1 has been silent since {@code lastSeen}. */
  private void lose(long lastSeen) {
    c.server
        .database()
        .jdbi()
        .useHandle(
            h ->
                h.execute(
                    "UPDATE nodes SET state = 'lost', last_seen_at = ? WHERE name = 'n1'",
                    lastSeen));
    c.server.jobs().nodeLost("n1");
    c.server.jobs().failRunsOfDeadNodes();
  }

  @Test
  void anInstanceOutlivesItsNodesSilenceAndIsReadoptedWhenTheAgentReturns() throws Exception {
    c = new ScriptedCluster(dir, TestStorage.SQLITE);
    Running runs = instanceAndJobRunning();

    lose(System.currentTimeMillis() - 60_000);

    Instance kept = get("dev");
    assertEquals("running", kept.state(), "a minute of silence does not end the user's session");
    assertTrue(kept.stateReason().contains("n1"), kept.stateReason());
    Job job = c.job(runs.jobId());
    assertEquals("failed", job.state(), "a job on the lost node fails at once");
    assertEquals("node lost", job.runs().getFirst().reason());

    c.node.post("/agent/heartbeat", new Heartbeat(null, null, List.of()), Heartbeat.Ack.class);
    Work back = c.node.get("/agent/work?wait=0&known=" + runs.instance().runId(), Work.class);
    assertEquals(List.of(), back.stop(), "the returning agent keeps the instance's container");
    Instance readopted = get("dev");
    assertEquals("running", readopted.state());
    assertEquals("ssh -p 30022 linuxbrew@127.0.0.1", readopted.sshCommand());
  }

  @Test
  void anInstanceOfANodeSilentSinceBeforeARestartCountsItsGraceFromTheRestart() throws Exception {
    c =
        new ScriptedCluster(
            dir, TestStorage.SQLITE, cfg -> cfg.instanceGrace(Duration.ofMinutes(5)));
    instanceAndJobRunning();

    // its last heartbeat was long before this server started (the server was down meanwhile)
    lose(System.currentTimeMillis() - Duration.ofHours(1).toMillis());
    assertEquals("running", get("dev").state(), "the server's downtime counts against no one");
  }

  @Test
  void anInstanceFailsOnlyAfterTheGraceAndItsContainerIsThenStopped() throws Exception {
    MovableClock clock = new MovableClock(java.time.Instant.now());
    c =
        new ScriptedCluster(
            dir, TestStorage.SQLITE, cfg -> cfg.instanceGrace(Duration.ofMinutes(5)).clock(clock));
    Running runs = instanceAndJobRunning();
    // the server has run for a while: its own start no longer counts as the node's last sign
    clock.advance(Duration.ofMinutes(10));

    lose(clock.millis() - Duration.ofMinutes(4).toMillis());
    assertEquals("running", get("dev").state(), "four minutes are within a 5 min grace");

    lose(clock.millis() - Duration.ofMinutes(6).toMillis());
    Instance failed = get("dev");
    assertEquals("failed", failed.state());
    assertEquals("node n1 was lost", failed.stateReason());
    Work back = c.node.get("/agent/work?wait=0&known=" + runs.instance().runId(), Work.class);
    assertEquals(
        List.of(runs.instance().runId()), back.stop(), "the agent removes the container then");
  }
}
