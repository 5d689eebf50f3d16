package dev.ocean.server.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.instance.InstanceSpec;
import dev.ocean.common.api.instance.SshKey;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * An instance through the real server with the agent played by hand: it queues FIFO behind jobs,
 * starts on the node with the owner's keys, runs with the endpoints its agent reports, stops,
 * starts again as a new run keeping its host key, fails when its node is lost, and is deleted.
 */
class InstanceLifecycleTest {
  static final String HOST_KEY =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIak9hwix0Q3gjIcYOPFNMwveKiYTJo2Tu05rBscIB6z root@dev";
  static final String ECDSA =
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCgLVdRy+a29ZKxFsQlq1N3Zso06Cyba8xkhEVP/iK904v1t6LVeLZ1r7oAiEzkJR/pSaLouIZ/WxJRT6OdJYss= ada@laptop";

  @TempDir Path dir;
  ScriptedCluster c;

  void start(TestStorage storage) throws Exception {
    c = new ScriptedCluster(dir, storage);
  }

  @AfterEach
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  private Instance create(String name) {
    return c.admin.post(
        "/instances", new Instance.Create(name, "g1", "busybox", null, "dev work"), Instance.class);
  }

  private Instance get(String name) {
    return c.admin.get("/instances/" + name, Instance.class);
  }

  private void running(Assignment a, InstanceEndpoints e) {
    c.node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("running", null, null, "/home/linuxbrew", e),
        LogAck.class);
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void queuesBehindJobsThenStartsRunsStopsStartsAgainKeepingItsHostKeyAndIsDeleted(
      TestStorage storage) throws Exception {
    start(storage);
    c.admin.post("/ssh-keys", new SshKey.Add(ECDSA, null), SshKey.class);
    Job first = c.submit("first", null, 1);
    Job second = c.submit("second", null, 1);
    c.server.scheduler().pass();
    List<Assignment> jobs = c.poll().start();
    assertEquals(2, jobs.size(), "the two jobs hold both GPUs of n1");

    Instance created = create("dev");
    c.server.scheduler().pass();
    Instance waiting = get("dev");
    assertEquals("pending", created.state());
    assertEquals("pending", waiting.state());
    assertEquals(1, waiting.queuePosition());
    assertTrue(waiting.stateReason().contains("n1"), waiting.stateReason());
    assertTrue(waiting.holdsQuota());

    String firstRun = jobs.getFirst().runId();
    c.report(firstRun, "running", null);
    c.report(firstRun, "succeeded", 0);
    c.server.scheduler().pass();
    Instance starting = get("dev");
    assertEquals("starting", starting.state());
    assertEquals("n1", starting.node());
    assertEquals(1, starting.gpus().size());

    Assignment a = c.poll(firstRun, jobs.get(1).runId()).start().getFirst();
    InstanceSpec spec = a.instance();
    assertNotNull(spec, "an instance run carries its spec");
    assertEquals(List.of(), a.command(), "the agent runs its init, not a command");
    assertEquals("dev", spec.name());
    assertEquals("admin@example.com", spec.owner());
    assertNull(spec.editorPassword(), "no guessable password: the init makes a random one");
    assertEquals(List.of(ECDSA), spec.authorizedKeys());

    running(a, new InstanceEndpoints("127.0.0.1", 30022, 30080, HOST_KEY, true, true));
    Instance up = get("dev");
    assertEquals("running", up.state());
    assertEquals("ssh -p 30022 linuxbrew@127.0.0.1", up.sshCommand());
    assertEquals("http://127.0.0.1:30080/", up.editorUrl());
    assertEquals(HOST_KEY, up.hostKey());
    assertNotNull(up.startedAt());
    List<dev.ocean.common.api.node.Node.Gpu> gpus =
        c.admin.get("/gpus", new TypeReference<List<dev.ocean.common.api.node.Node.Gpu>>() {});
    assertTrue(
        gpus.stream().anyMatch(g -> "admin@example.com (instance dev)".equals(g.heldBy())),
        "the GPU list names the instance holding a GPU: " + gpus);

    Instance stopping = c.admin.post("/instances/dev/stop", null, Instance.class);
    assertTrue(stopping.stateReason().startsWith("stopping"), stopping.stateReason());
    assertTrue(c.poll(a.runId(), jobs.get(1).runId()).stop().contains(a.runId()));
    c.report(a.runId(), "cancelled", null);
    Instance stopped = get("dev");
    assertEquals("stopped", stopped.state());
    assertEquals("stopped by its owner", stopped.stateReason());
    assertNull(stopped.sshCommand(), "nothing to reach while stopped");
    assertNotNull(stopped.stoppedAt());
    assertEquals(HOST_KEY, stopped.hostKey());
    assertTrue(stopped.holdsQuota());
    assertThrows(
        OceanApiException.class, () -> c.admin.post("/instances/dev/stop", null, Instance.class));

    String queued = c.admin.post("/instances/dev/start", null, Instance.class).state();
    assertTrue(List.of("pending", "starting").contains(queued), queued);
    c.server.scheduler().pass();
    Assignment again = c.poll(jobs.get(1).runId()).start().getFirst();
    assertNotEquals(a.runId(), again.runId(), "each start is a new run");
    assertEquals(a.jobId(), again.jobId());
    running(again, new InstanceEndpoints("127.0.0.1", 30023, 30081, null, true, true));
    Instance back = get("dev");
    assertEquals("running", back.state());
    assertEquals(HOST_KEY, back.hostKey(), "the host key survives a start without a new one");
    assertEquals("ssh -p 30023 linuxbrew@127.0.0.1", back.sshCommand());
    assertNull(back.stoppedAt(), "the earlier stop is over once it runs again");

    c.admin.delete("/instances/dev");
    var gone = assertThrows(OceanApiException.class, () -> get("dev"));
    assertEquals(404, gone.status());
    assertTrue(c.poll(again.runId(), jobs.get(1).runId()).stop().contains(again.runId()));
    assertEquals(List.of(), c.admin.get("/instances", new TypeReference<List<Instance>>() {}));
    assertEquals("dev", create("dev").name(), "the name is free again");
    assertEquals(second.id(), c.job(second.id()).id());
    assertEquals("succeeded", c.job(first.id()).state());
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aLostNodeFailsTheInstanceWithTheNodeNamedAndStartQueuesItAgain(TestStorage storage)
      throws Exception {
    // no instance grace: a server just started counts the grace from its start, not from the
    // node's last heartbeat long ago (InstanceNodeLossTest)
    c = new ScriptedCluster(dir, storage, cfg -> cfg.instanceGrace(java.time.Duration.ZERO));
    create("dev");
    c.server.scheduler().pass();
    Assignment a = c.next();
    running(a, new InstanceEndpoints("127.0.0.1", 30022, 30080, HOST_KEY, true, true));

    c.server
        .database()
        .jdbi()
        .useHandle(
            // silent for longer than the instance grace
            h -> h.execute("UPDATE nodes SET state = 'lost', last_seen_at = 0 WHERE name = 'n1'"));
    c.server.jobs().nodeLost("n1");

    Instance failed = get("dev");
    assertEquals("failed", failed.state());
    assertEquals("node n1 was lost", failed.stateReason());
    assertEquals("pending", c.admin.post("/instances/dev/start", null, Instance.class).state());
  }

  @Test
  void aRestartQueuesBehindJobsSubmittedBeforeIt() throws Exception {
    start(TestStorage.SQLITE);
    create("dev");
    c.admin.post("/instances/dev/stop", null, Instance.class);
    c.submit("a", null, 1);
    c.submit("b", null, 1);
    Job third = c.submit("c", null, 1);
    c.server.scheduler().pass();

    c.admin.post("/instances/dev/start", null, Instance.class);
    c.server.scheduler().pass();

    assertEquals(1, c.job(third.id()).runs().getFirst().queuePosition(), "the job came first");
    assertEquals(2, get("dev").queuePosition(), "the instance's new start waits behind it");
  }

  @Test
  void theHiddenJobNeverShowsAsAJob() throws Exception {
    start(TestStorage.SQLITE);
    create("dev");
    c.server.scheduler().pass();
    Assignment a = c.next();

    assertEquals(List.of(), c.admin.get("/jobs?all=true", new TypeReference<List<Job>>() {}));
    assertEquals(
        List.of(), c.admin.get("/jobs?all=true&everyone=true", new TypeReference<List<Job>>() {}));
    for (String path : List.of("/jobs/" + a.jobId(), "/jobs/" + a.jobId() + "/runs/0/logs")) {
      var e = assertThrows(OceanApiException.class, () -> c.admin.get(path, String.class));
      assertEquals(404, e.status(), path);
    }
    var e =
        assertThrows(
            OceanApiException.class,
            () -> c.admin.post("/jobs/" + a.jobId() + "/cancel", null, Job.class));
    assertEquals(404, e.status());
  }

  @Test
  void logsAreTheCurrentRunsOutput() throws Exception {
    start(TestStorage.SQLITE);
    create("dev");
    c.server.scheduler().pass();
    Assignment a = c.next();
    running(a, new InstanceEndpoints("127.0.0.1", 30022, 30080, HOST_KEY, true, true));
    c.node.postBytes(
        "/agent/runs/" + a.runId() + "/logs?offset=0",
        "sshd started\n".getBytes(StandardCharsets.UTF_8),
        "application/octet-stream",
        LogAck.class);

    try (var in = c.admin.stream("/instances/dev/logs")) {
      assertEquals("sshd started\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
    try (var in = c.admin.stream("/instances/dev/logs?offset=5")) {
      assertEquals("started\n", new String(in.readAllBytes(), StandardCharsets.UTF_8));
    }
  }

  @Test
  void createRefusesABadNameAHostImageAnotherUsersVolumeAndATakenName() throws Exception {
    start(TestStorage.SQLITE);
    c.admin.post(
        "/images",
        new dev.ocean.common.api.Image.Create("host", "local/host", null, "host"),
        dev.ocean.common.api.Image.class);
    assertEquals("name", problem(new Instance.Create("Bad_Name", "g1", "busybox", null, null)));
    assertEquals("image", problem(new Instance.Create("dev", "g1", "host", null, null)));
    assertEquals("machineType", problem(new Instance.Create("dev", "nope", "busybox", null, null)));
    assertEquals("volume", problem(new Instance.Create("dev", "g1", "busybox", "none", null)));
    create("dev");
    assertEquals("name", problem(new Instance.Create("dev", "g1", "busybox", null, null)));
  }

  private String problem(Instance.Create body) {
    var e =
        assertThrows(
            OceanApiException.class, () -> c.admin.post("/instances", body, Instance.class));
    assertTrue(e.status() >= 400 && e.status() < 500, e.getMessage());
    return e.problem().field();
  }
}
