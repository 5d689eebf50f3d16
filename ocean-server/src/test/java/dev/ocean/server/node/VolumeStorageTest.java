package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.Version;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Volume;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.api.node.RuntimeInfo;
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
 * A job with a volume never goes to a node whose agent has no volume storage: it waits, saying so,
 * until a node with storage joins; jobs without a volume still run on such a node.
 */
class VolumeStorageTest {
  static final RuntimeInfo DOCKER =
      new RuntimeInfo(RuntimeInfo.DOCKER, null, RuntimeInfo.HANDOFF_NVIDIA_RUNTIME, null);

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
    admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "c1", 4, 1), Quota.class);
    admin.post("/volumes", new Volume.Create("data", 1), Volume.class);
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private void join(String name, RuntimeInfo runtime) {
    JoinToken t = admin.post("/admin/join-tokens", new JoinToken.Create("1h", 10), JoinToken.class);
    NodeFacts facts =
        new NodeFacts(name, "Linux", "amd64", "cpu", 8, 64L << 30, List.of(), List.of(), runtime);
    OceanClient.forUser(server.url(), null)
        .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
        .post(
            "/agent/register",
            new Registration(t.token(), name, Version.VERSION, Version.AGENT_PROTOCOL, facts),
            Registration.Accepted.class);
  }

  private Job submit(String volume) {
    Job job =
        admin.post(
            "/jobs",
            new Job.Submit(
                "j", "c1", "busybox", volume, List.of("true"), Map.of(), 1, 1, "test", null),
            Job.class);
    server.scheduler().pass();
    return admin.get("/jobs/" + job.id(), Job.class);
  }

  private Job get(Job job) {
    return admin.get("/jobs/" + job.id(), Job.class);
  }

  @Test
  void jobWithAVolumeWaitsForANodeWithStorageWhileOtherJobsRunOnANodeWithout() {
    join("bare", DOCKER.withVolumeStorage(false));

    Job withVolume = submit("data");
    Job without = submit(null);

    assertEquals("pending", withVolume.runs().getFirst().state());
    assertEquals(
        "no node has volume storage (ocean-agent join --storage)",
        withVolume.runs().getFirst().waitReason());
    assertEquals("bare", get(without).runs().getFirst().node());
    Node bare = admin.get("/nodes", new TypeReference<List<Node>>() {}).getFirst();
    assertTrue(bare.unschedulable().contains("no volume storage"), bare.unschedulable());

    join("stored", DOCKER.withVolumeStorage(true));
    server.scheduler().pass();

    assertEquals("stored", get(withVolume).runs().getFirst().node());
  }

  @Test
  void anAgentThatDoesNotSayIsTakenToHaveStorage() {
    join("old", DOCKER);

    Job withVolume = submit("data");

    assertEquals("old", withVolume.runs().getFirst().node());
  }
}
