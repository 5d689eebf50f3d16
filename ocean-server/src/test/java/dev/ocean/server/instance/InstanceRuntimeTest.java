package dev.ocean.server.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.Version;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import dev.ocean.server.scheduler.Scheduler;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Through the real server: an instance never goes to a process-runtime node and says why it waits,
 * while a job with a host image runs there; a node with a container runtime takes the instance.
 */
class InstanceRuntimeTest {
  @TempDir Path dir;
  OceanServer server;
  OceanClient admin;

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
        new MachineType.Create("c1", 1, 1, 0, null, null, null),
        MachineType.class);
    admin.post("/images", new Image.Create("busybox", "busybox:latest", null, null), Image.class);
    admin.post("/images", new Image.Create("host", "local/host", null, "host"), Image.class);
    admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "c1", 4, 1), Quota.class);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void join(String name, String runtime) {
    JoinToken t = admin.post("/admin/join-tokens", new JoinToken.Create("1h", 1), JoinToken.class);
    NodeFacts facts =
        new NodeFacts(
            name,
            "Linux",
            "amd64",
            "cpu",
            8,
            64L << 30,
            List.of(),
            List.of(),
            new RuntimeInfo(runtime, null, RuntimeInfo.HANDOFF_NONE, true));
    OceanClient.forUser(server.url(), null)
        .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
        .post(
            "/agent/register",
            new Registration(t.token(), name, Version.VERSION, Version.AGENT_PROTOCOL, facts),
            Registration.Accepted.class);
  }

  @Test
  void anInstanceWaitsSayingWhyOnlyProcessNodesAreThereWhileAHostJobRunsThere() {
    join("bare", RuntimeInfo.PROCESS);

    admin.post(
        "/instances", new Instance.Create("dev", "c1", "busybox", null, null), Instance.class);
    Job job =
        admin.post(
            "/jobs",
            new Job.Submit("j", "c1", "host", null, List.of("true"), Map.of(), 1, 1, null, null),
            Job.class);
    server.scheduler().pass();

    Instance waiting = admin.get("/instances/dev", Instance.class);
    assertEquals("pending", waiting.state());
    assertEquals(Scheduler.NO_CONTAINER_RUNTIME, waiting.stateReason());
    assertEquals(1, waiting.queuePosition());
    assertEquals("bare", admin.get("/jobs/" + job.id(), Job.class).runs().getFirst().node());

    join("pods", RuntimeInfo.DOCKER);
    server.scheduler().pass();

    Instance placed = admin.get("/instances/dev", Instance.class);
    assertEquals("starting", placed.state());
    assertEquals("pods", placed.node());
  }
}
