package dev.ocean.server.node;

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
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the server does with what an agent reports about its runtime and GPUs, and with the admin's
 * removal of a busy node: through the real server, with a scripted agent.
 */
class NodeFitnessTest {
  static final RuntimeInfo DOCKER_OK =
      new RuntimeInfo(RuntimeInfo.DOCKER, null, RuntimeInfo.HANDOFF_NVIDIA_RUNTIME, null);
  static final RuntimeInfo DOCKER_DOWN =
      new RuntimeInfo(
          RuntimeInfo.DOCKER,
          "the container engine at unix:///run/nothing.sock does not answer: No such file",
          RuntimeInfo.HANDOFF_NONE,
          null);

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
    var s =
        OceanClient.forUser(server.url(), null)
            .post(
                "/auth/login",
                new dev.ocean.common.api.Credentials("admin@example.com", "Admin123!x"),
                dev.ocean.common.api.Session.class);
    admin = OceanClient.forUser(server.url(), s.token());
    admin.post(
        "/machine-types",
        new MachineType.Create("g1", 1, 1, 1, "H100", null, null),
        MachineType.class);
    admin.post(
        "/machine-types",
        new MachineType.Create("c1", 1, 1, 0, null, null, null),
        MachineType.class);
    admin.post("/images", new Image.Create("busybox", "busybox:latest", null, null), Image.class);
    admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "g1", 4, 1), Quota.class);
    admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "c1", 4, 1), Quota.class);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private static NodeFacts facts(RuntimeInfo runtime, GpuInfo... gpus) {
    return new NodeFacts(
        "n1", "Linux", "amd64", "cpu", 8, 64L << 30, List.of(), List.of(gpus), runtime);
  }

  private static GpuInfo gpu(int index, String problem) {
    return new GpuInfo(
        index,
        problem == null ? "GPU-" + index : null,
        problem == null ? "NVIDIA H100 80GB HBM3" : null,
        81559,
        problem);
  }

  private void join(NodeFacts facts) {
    JoinToken t = admin.post("/admin/join-tokens", new JoinToken.Create("1h", 10), JoinToken.class);
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

  private Job submit(String type) {
    Job job =
        admin.post(
            "/jobs",
            new Job.Submit(
                "j", type, "busybox", null, List.of("true"), Map.of(), 1, 1, "test", null),
            Job.class);
    server.scheduler().pass();
    return admin.get("/jobs/" + job.id(), Job.class);
  }

  private Work poll(int waitSeconds, String... known) {
    return node.get(
        "/agent/work?wait=" + waitSeconds + "&known=" + String.join(",", known), Work.class);
  }

  private Node nodeView() {
    return admin.get("/nodes", new TypeReference<List<Node>>() {}).getFirst();
  }

  @Test
  void aJobSubmittedBeforeTheFirstHeartbeatAvoidsTheGpusTheRegistrationShowsBusy() {
    // GPUs 0 and 1 hold memory of processes Ocean did not start; no heartbeat has come yet
    List<GpuSample> gpus = new java.util.ArrayList<>();
    for (int i = 0; i < 4; i++) {
      int used = i < 2 ? 40_000 : 0;
      gpus.add(new GpuSample(i, "GPU-" + i, 0, 0, used, 81559, 30, 70.0, 700.0, List.of(), null));
    }
    NodeMetrics first =
        new NodeMetrics(
            System.currentTimeMillis(), 1.0, null, null, null, null, null, null, null, gpus);
    JoinToken t = admin.post("/admin/join-tokens", new JoinToken.Create("1h", 1), JoinToken.class);
    OceanClient.forUser(server.url(), null)
        .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
        .post(
            "/agent/register",
            new Registration(
                t.token(),
                "n1",
                Version.VERSION,
                Version.AGENT_PROTOCOL,
                facts(DOCKER_OK, gpu(0, null), gpu(1, null), gpu(2, null), gpu(3, null)),
                first),
            Registration.Accepted.class);

    Job job = submit("g1");

    assertEquals(List.of(2), job.runs().getFirst().gpus(), "the first idle GPU, not GPU 0");
  }

  @Test
  void nodeWhoseRuntimeIsDownGetsNoRunAndSaysWhyUntilItIsBack() {
    join(facts(DOCKER_DOWN, gpu(0, null)));

    Job job = submit("c1");

    assertEquals("pending", job.runs().getFirst().state());
    assertTrue(
        job.runs().getFirst().waitReason().contains("runtime docker cannot start runs"),
        job.runs().getFirst().waitReason());
    assertTrue(nodeView().unschedulable().contains("/run/nothing.sock does not answer"));
    assertEquals(List.of(), poll(1).start());

    node.post(
        "/agent/heartbeat",
        new Heartbeat(null, facts(DOCKER_OK, gpu(0, null)), List.of()),
        Map.class);
    server.scheduler().pass();

    assertEquals(1, poll(5).start().size());
    assertNull(nodeView().unschedulable());
  }

  @Test
  void brokenGpuIsNeverHandedOutAndGpuListShowsWhy() {
    String lost = "Unable to determine the device handle for GPU0000:81:00.0: Unknown Error";
    join(facts(DOCKER_OK, gpu(0, lost), gpu(1, null)));

    Job first = submit("g1");
    Job second = submit("g1");

    assertEquals(List.of(1), first.runs().getFirst().gpus());
    assertEquals("pending", admin.get("/jobs/" + second.id(), Job.class).runs().getFirst().state());
    List<Node.Gpu> gpus = admin.get("/gpus", new TypeReference<List<Node.Gpu>>() {});
    assertEquals(lost, gpus.get(0).problem());
    assertNull(gpus.get(1).problem());
  }

  @Test
  void gpusThatCannotReachContainersGetNoGpuWorkButCpuWorkRuns() {
    join(
        facts(
            new RuntimeInfo(RuntimeInfo.DOCKER, null, RuntimeInfo.HANDOFF_NONE, null),
            gpu(0, null)));

    Job gpuJob = submit("g1");
    Job cpuJob = submit("c1");

    assertTrue(
        gpuJob.runs().getFirst().waitReason().contains("GPUs cannot be handed to containers"),
        gpuJob.runs().getFirst().waitReason());
    assertEquals("running", admin.get("/jobs/" + cpuJob.id(), Job.class).state());
    assertTrue(nodeView().unschedulable().contains("GPUs cannot be handed to containers"));
  }

  @Test
  void cancelEndsARunTheAgentNeverStartedAndTheAgentIsToldToDropIt() {
    join(facts(DOCKER_OK, gpu(0, null)));
    Job job = submit("g1");
    String runId = poll(5).start().getFirst().runId();

    Job cancelled = admin.post("/jobs/" + job.id() + "/cancel", null, Job.class);

    assertEquals("cancelled", cancelled.state());
    assertEquals("cancelled", cancelled.runs().getFirst().state());
    assertEquals(List.of(runId), poll(1, runId).stop());
  }

  @Test
  void removingABusyNodeIsRefusedUnlessForcedAndItsRunsEndWithoutAnExitCode() {
    join(facts(DOCKER_OK, gpu(0, null)));
    Job job = submit("g1");
    String runId = poll(5).start().getFirst().runId();
    node.post(
        "/agent/runs/" + runId + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);

    OceanApiException refused =
        assertThrows(
            OceanApiException.class, () -> admin.post("/admin/nodes/n1/remove", null, Node.class));
    assertEquals(409, refused.status());
    assertTrue(refused.getMessage().contains("--force"), refused.getMessage());
    assertEquals("running", admin.get("/jobs/" + job.id(), Job.class).state());

    assertEquals(
        "removed", admin.post("/admin/nodes/n1/remove?force=true", null, Node.class).state());

    Job ended = admin.get("/jobs/" + job.id(), Job.class);
    assertEquals("failed", ended.state());
    assertEquals("node removed", ended.runs().getFirst().reason());
    assertNull(ended.runs().getFirst().exitCode());
    assertNull(ended.exitCode());
    assertEquals(
        401,
        assertThrows(OceanApiException.class, () -> poll(1)).status(),
        "the agent learns at once that it was removed");
  }

  @Test
  void hostImageRunsOnlyOnAProcessNodeAndTheRunRecordsWhereItsVolumeWas() {
    Image host =
        admin.post(
            "/images", new Image.Create("bare", "local/metal", null, Image.HOST), Image.class);
    assertEquals(Image.HOST, host.kind());
    join(facts(DOCKER_OK));

    Job job =
        admin.post(
            "/jobs",
            new Job.Submit("h", "c1", "bare", null, List.of("true"), Map.of(), 1, 1, "test", null),
            Job.class);
    server.scheduler().pass();

    String waits = admin.get("/jobs/" + job.id(), Job.class).runs().getFirst().waitReason();
    assertTrue(waits.contains("no ready node has the process runtime"), waits);

    node.post(
        "/agent/heartbeat",
        new Heartbeat(
            null,
            facts(new RuntimeInfo(RuntimeInfo.PROCESS, null, RuntimeInfo.HANDOFF_ENV, null)),
            List.of()),
        Map.class);
    server.scheduler().pass();
    String runId = poll(5).start().getFirst().runId();
    node.post(
        "/agent/runs/" + runId + "/status",
        new RunReport("running", null, null, "/srv/ocean/storage/users/1/data", null),
        LogAck.class);

    assertEquals(
        "/srv/ocean/storage/users/1/data",
        admin.get("/jobs/" + job.id(), Job.class).runs().getFirst().volumeDir());
  }

  @Test
  void imageKindIsCheckedAndLocalHostDefaultsToHost() {
    OceanApiException bad =
        assertThrows(
            OceanApiException.class,
            () -> admin.post("/images", new Image.Create("x", "local/x", null, "vm"), Image.class));
    assertEquals(400, bad.status());
    assertTrue(bad.getMessage().contains("kind"), bad.getMessage());

    assertEquals(
        Image.HOST,
        admin.post("/images", new Image.Create("h", "local/host", null, null), Image.class).kind());
    assertEquals(
        Image.CONTAINER,
        admin.get("/images", new TypeReference<List<Image>>() {}).stream()
            .filter(i -> i.name().equals("busybox"))
            .findFirst()
            .orElseThrow()
            .kind());
  }

  @Test
  void runningRunTheAgentNoLongerHasFailsWhenItsListIsComplete() {
    join(facts(DOCKER_OK, gpu(0, null)));
    Job job = submit("g1");
    String runId = poll(5).start().getFirst().runId();
    node.post(
        "/agent/runs/" + runId + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);

    poll(1);
    assertEquals("running", admin.get("/jobs/" + job.id(), Job.class).state(), "not complete");
    node.get("/agent/work?wait=1&complete=true", Work.class);

    Job ended = admin.get("/jobs/" + job.id(), Job.class);
    assertEquals("failed", ended.state());
    assertEquals("the node's agent no longer has this run", ended.runs().getFirst().reason());
    assertNull(ended.runs().getFirst().exitCode());
  }

  @Test
  void runTheAgentLostIsRequeuedWhenTheJobAskedForRetries() {
    join(facts(DOCKER_OK, gpu(0, null)));
    Job job =
        admin.post(
            "/jobs",
            new Job.Submit("r", "g1", "busybox", null, List.of("true"), Map.of(), 1, 1, "test", 1),
            Job.class);
    server.scheduler().pass();
    String runId = poll(5).start().getFirst().runId();
    node.post(
        "/agent/runs/" + runId + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);

    node.get("/agent/work?wait=1&complete=true", Work.class);

    var run = admin.get("/jobs/" + job.id(), Job.class).runs().getFirst();
    assertEquals(2, run.attempt());
    assertTrue(List.of("pending", "assigned").contains(run.state()), run.state());
  }
}
