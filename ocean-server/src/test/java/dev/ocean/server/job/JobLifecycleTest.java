package dev.ocean.server.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.Version;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs through the real server with a scripted agent speaking the protocol by hand: assignment,
 * reports, offset-checked log chunks, cancel, node loss, quota release.
 */
class JobLifecycleTest {
  @TempDir Path dir;
  OceanServer server;
  OceanClient admin;
  OceanClient node;

  @BeforeEach
  void start() throws Exception {
    server =
        OceanServer.start(
            new ServerConfig(dir)
                .port(0)
                .host("127.0.0.1")
                .bcryptCost(4)
                .adminEmail("admin@example.com")
                .adminPassword("Admin123!x"),
            new PrintStream(PrintStream.nullOutputStream()));
    admin = login("admin@example.com", "Admin123!x");
    admin.post(
        "/machine-types",
        new MachineType.Create("g1", 1, 1, 1, "H100", null, null),
        MachineType.class);
    admin.post("/images", new Image.Create("busybox", "busybox:latest", null, null), Image.class);
    admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "g1", 4, 1), Quota.class);
    JoinToken t =
        admin.post("/admin/join-tokens", new JoinToken.Create("1h", null), JoinToken.class);
    List<GpuInfo> gpus =
        IntStream.range(0, 2)
            .mapToObj(i -> new GpuInfo(i, "GPU-" + i, "NVIDIA H100 80GB HBM3", 81559, null))
            .toList();
    NodeFacts facts =
        new NodeFacts("n1", "Linux", "amd64", "cpu", 8, 64L << 30, List.of(), gpus, null);
    OceanClient anon =
        OceanClient.forUser(server.url(), null)
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
    var accepted =
        anon.post(
            "/agent/register",
            new Registration(t.token(), "n1", Version.VERSION, Version.AGENT_PROTOCOL, facts),
            Registration.Accepted.class);
    node =
        OceanClient.withAuthorization(server.url(), "Bearer " + accepted.credential())
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private OceanClient login(String email, String password) {
    var s =
        OceanClient.forUser(server.url(), null)
            .post(
                "/auth/login",
                new dev.ocean.common.api.Credentials(email, password),
                dev.ocean.common.api.Session.class);
    return OceanClient.forUser(server.url(), s.token());
  }

  private Job submit(String name, int repeat, int parallel, String... argv) {
    return admin.post(
        "/jobs",
        new Job.Submit(
            name,
            "g1",
            "busybox",
            null,
            List.of(argv),
            Map.of("A", "1"),
            repeat,
            parallel,
            "test",
            null),
        Job.class);
  }

  /** What the lost-node timer does when a node stays silent, without waiting 30 s. */
  private void markLost(String name) {
    server
        .database()
        .jdbi()
        .useHandle(h -> h.execute("UPDATE nodes SET state = 'lost' WHERE name = ?", name));
  }

  private Work poll(String... known) {
    return node.get("/agent/work?wait=5&known=" + String.join(",", known), Work.class);
  }

  private String log(long job, int run) throws Exception {
    try (InputStream in = admin.stream("/jobs/" + job + "/runs/" + run + "/logs")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Test
  void runIsAssignedReportedAndItsLogKeptExactlyOnce() throws Exception {
    Job job = submit("one", 1, 1, "sh", "-c", "echo $A; exit 3");
    Work w = poll();
    assertEquals(1, w.start().size());
    var a = w.start().getFirst();
    assertEquals(job.id() + "-0.1", a.runId());
    assertEquals(List.of("sh", "-c", "echo $A; exit 3"), a.command());
    assertEquals(String.valueOf(job.id()), a.env().get("OCEAN_JOB_ID"));
    assertEquals("0", a.env().get("OCEAN_RUN_INDEX"));
    assertEquals(1, a.gpus().size());
    assertEquals(1024, a.memoryMib());

    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);
    byte[] first = "line 1\nline 2\n".getBytes(StandardCharsets.UTF_8);
    byte[] second = "line 3\n".getBytes(StandardCharsets.UTF_8);
    String path = "/agent/runs/" + a.runId() + "/logs?offset=";
    assertEquals(
        14, node.postBytes(path + 0, first, "application/octet-stream", LogAck.class).size());
    assertEquals(
        14,
        node.postBytes(path + 0, first, "application/octet-stream", LogAck.class).size(),
        "a retried chunk is not appended twice");
    var gap =
        assertThrows(
            OceanApiException.class,
            () -> node.postBytes(path + 100, second, "application/octet-stream", LogAck.class));
    assertEquals(409, gap.status());
    byte[] overlap = "line 2\nline 3\n".getBytes(StandardCharsets.UTF_8);
    assertEquals(
        21, node.postBytes(path + 7, overlap, "application/octet-stream", LogAck.class).size());
    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("failed", 3, null, null, null),
        LogAck.class);

    Job done = admin.get("/jobs/" + job.id(), Job.class);
    assertEquals("failed", done.state());
    assertEquals(3, done.exitCode());
    assertEquals("n1", done.runs().getFirst().node());
    assertEquals("line 1\nline 2\nline 3\n", log(job.id(), 0));
    try (InputStream in = admin.stream("/jobs/" + job.id() + "/runs/0/logs?offset=7")) {
      assertEquals(
          "line 2\nline 3\n",
          new String(in.readAllBytes(), StandardCharsets.UTF_8),
          "a client resuming at a byte offset gets only what follows it");
    }
    List<Quota> quotas = admin.get("/quotas", new TypeReference<List<Quota>>() {});
    assertEquals(0, quotas.getFirst().inUse(), "an ended job gives its quota back");
  }

  @Test
  void aLogChunkAtANegativeOffsetIsRefusedAndWritesNothing() throws Exception {
    Job job = submit("neg", 1, 1, "true");
    var a = poll().start().getFirst();
    String path = "/agent/runs/" + a.runId() + "/logs?offset=";
    byte[] bytes = "hello\n".getBytes(StandardCharsets.UTF_8);
    for (long offset : new long[] {-3, Long.MIN_VALUE}) {
      var e =
          assertThrows(
              OceanApiException.class,
              () -> node.postBytes(path + offset, bytes, "application/octet-stream", LogAck.class));
      assertEquals(400, e.status());
    }
    assertEquals("", log(job.id(), 0));
  }

  @Test
  void cancellingARunningJobAsksTheAgentToStopIt() {
    Job job = submit("stopme", 1, 1, "sleep", "300");
    var a = poll().start().getFirst();
    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);
    admin.post("/jobs/" + job.id() + "/cancel", null, Job.class);
    Work w = poll(a.runId());
    assertEquals(List.of(a.runId()), w.stop());
    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("cancelled", 143, null, null, null),
        LogAck.class);
    assertEquals("cancelled", admin.get("/jobs/" + job.id(), Job.class).state());
  }

  @Test
  void pendingRunsWaitInFifoOrderAndSayWhy() {
    submit("big", 2, 2, "true");
    Job later = submit("later", 1, 1, "true");
    server.scheduler().pass();
    Job got = admin.get("/jobs/" + later.id(), Job.class);
    assertEquals("pending", got.runs().getFirst().state());
    assertEquals(1, got.runs().getFirst().queuePosition());
    assertTrue(got.runs().getFirst().waitReason() != null);
  }

  @Test
  void runsOfALostNodeFailWithReasonNodeLost() {
    Job job = submit("lost", 1, 1, "true");
    var a = poll().start().getFirst();
    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);
    server.jobs().nodeLost("n1");
    assertEquals(
        "running",
        admin.get("/jobs/" + job.id(), Job.class).state(),
        "a node that is back keeps its runs");
    markLost("n1");
    server.jobs().nodeLost("n1");
    Job got = admin.get("/jobs/" + job.id(), Job.class);
    assertEquals("failed", got.state());
    assertEquals("node lost", got.runs().getFirst().reason());
    assertNull(got.runs().getFirst().exitCode());
  }

  @Test
  void aRunFailedWhileItsNodeWasLostIsStoppedWhenTheAgentComesBack() {
    submit("zombie", 1, 1, "sleep", "300");
    var a = poll().start().getFirst();
    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);
    markLost("n1");
    server.jobs().nodeLost("n1");
    assertEquals(
        List.of(a.runId()),
        poll(a.runId()).stop(),
        "the agent still runs it on GPUs the scheduler may hand out again");
  }

  @Test
  void runsOfANodeMarkedLostJustBeforeAServerCrashStillFail() {
    Job job = submit("orphan", 1, 1, "true");
    var a = poll().start().getFirst();
    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);
    // what a crash between marking the node lost and failing its runs leaves behind
    server
        .database()
        .jdbi()
        .useHandle(h -> h.execute("UPDATE nodes SET state = 'lost' WHERE name = 'n1'"));
    Job got = admin.get("/jobs/" + job.id() + "/wait?timeout=10", Job.class);
    assertEquals("failed", got.state());
    assertEquals("node lost", got.runs().getFirst().reason());
    List<Quota> quotas = admin.get("/quotas", new TypeReference<List<Quota>>() {});
    assertEquals(0, quotas.getFirst().inUse(), "the run gives its quota back");
  }

  @Test
  void forcedRemovalOfANodeFailsTheRunsItHeld() {
    Job job = submit("removed", 1, 1, "true");
    var a = poll().start().getFirst();
    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);
    admin.post("/admin/nodes/n1/remove?force=true", null, dev.ocean.common.api.node.Node.class);
    Job got = admin.get("/jobs/" + job.id(), Job.class);
    assertEquals("failed", got.state());
    assertEquals("node removed", got.runs().getFirst().reason());
    List<Quota> quotas = admin.get("/quotas", new TypeReference<List<Quota>>() {});
    assertEquals(0, quotas.getFirst().inUse());
  }

  @Test
  void shrinkingAQuotaCancelsOnlyTheNewestPendingRunsThatNoLongerFit() {
    admin.post(
        "/machine-types",
        new MachineType.Create("a1", 1, 1, 1, "A100", null, null),
        MachineType.class);
    Quota three =
        admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "a1", 3, 1), Quota.class);
    List<Long> ids = new java.util.ArrayList<>();
    for (String name : List.of("first", "second", "third")) {
      ids.add(
          admin
              .post(
                  "/jobs",
                  new Job.Submit(
                      name, "a1", "busybox", null, List.of("true"), Map.of(), 1, 1, null, null),
                  Job.class)
              .id());
    }
    admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "a1", 1, 1), Quota.class);
    admin.post("/admin/quotas/" + three.id() + "/revoke", null, Quota.class);

    assertEquals(
        "pending",
        admin.get("/jobs/" + ids.get(0), Job.class).state(),
        "the oldest job still fits");
    for (long id : ids.subList(1, 3)) {
      Job j = admin.get("/jobs/" + id, Job.class);
      assertEquals("cancelled", j.state());
      assertEquals("quota revoked", j.runs().getFirst().reason());
    }
  }

  @Test
  void aJobWithRetriesIsRequeuedWhenItsNodeIsLostUntilItsRetriesAreSpent() throws Exception {
    Job job =
        admin.post(
            "/jobs",
            new Job.Submit(
                "retry", "g1", "busybox", null, List.of("true"), Map.of(), 1, 1, null, 1),
            Job.class);
    var first = poll().start().getFirst();
    node.post(
        "/agent/runs/" + first.runId() + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);
    node.postBytes(
        "/agent/runs/" + first.runId() + "/logs?offset=0",
        "first try\n".getBytes(StandardCharsets.UTF_8),
        "application/octet-stream",
        LogAck.class);
    markLost("n1");
    server.jobs().nodeLost("n1");

    var run = admin.get("/jobs/" + job.id(), Job.class).runs().getFirst();
    assertEquals("pending", run.state(), "requeued, not failed");
    assertEquals(2, run.attempt());
    assertEquals("requeued: node lost", run.reason());
    assertNull(run.node());
    assertEquals(
        List.of(first.runId()),
        poll(first.runId()).stop(),
        "the old attempt is stopped where it still runs");
    List<Quota> held = admin.get("/quotas", new TypeReference<List<Quota>>() {});
    assertEquals(
        1,
        held.stream().filter(q -> q.machineType().equals("g1")).findFirst().orElseThrow().inUse());
    assertEquals("", log(job.id(), 0), "the next attempt's log starts empty");
    assertEquals(
        "first try\n",
        java.nio.file.Files.readString(
            dir.resolve("logs").resolve(job.id() + "").resolve("0.attempt-1.log")),
        "the lost attempt's log is kept");

    server
        .database()
        .jdbi()
        .useHandle(h -> h.execute("UPDATE nodes SET state = 'ready' WHERE name = 'n1'"));
    server.scheduler().pass();
    var second = poll().start().getFirst();
    assertEquals(job.id() + "-0.1", first.runId());
    assertEquals(job.id() + "-0.2", second.runId(), "the new attempt has its own run id");
    node.post(
        "/agent/runs/" + second.runId() + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);
    markLost("n1");
    server.jobs().nodeLost("n1");
    Job failed = admin.get("/jobs/" + job.id(), Job.class);
    assertEquals("failed", failed.state(), "no retries left");
    assertEquals("node lost", failed.runs().getFirst().reason());
    assertEquals(2, failed.runs().getFirst().attempt());
  }

  @Test
  void anotherUserCannotSeeOrCancelTheJob() {
    Job job = submit("mine", 1, 1, "true");
    OceanClient.forUser(server.url(), null)
        .post(
            "/auth/signup",
            new dev.ocean.common.api.Credentials("bob@example.com", "Bob12345!x"),
            dev.ocean.common.api.User.class);
    OceanClient bob = login("bob@example.com", "Bob12345!x");
    assertEquals(
        404,
        assertThrows(OceanApiException.class, () -> bob.get("/jobs/" + job.id(), Job.class))
            .status());
    assertEquals(
        404,
        assertThrows(
                OceanApiException.class,
                () -> bob.post("/jobs/" + job.id() + "/cancel", null, Job.class))
            .status());
    assertEquals(
        404,
        assertThrows(
                OceanApiException.class, () -> bob.stream("/jobs/" + job.id() + "/runs/0/logs"))
            .status());
  }
}
