package dev.ocean.server.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.common.Version;
import dev.ocean.common.api.node.GpuProcess;
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;

/** A node that sends too much: every list, string and number it reports is bounded. */
class HostileNodeTest {
  @TempDir Path dir;
  OceanServer server;
  OceanClient anon;
  OceanClient admin;
  OceanClient node;
  String token;

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
    token =
        admin.post("/admin/join-tokens", new JoinToken.Create("1h", 10), JoinToken.class).token();
    anon =
        OceanClient.forUser(server.url(), null)
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
    var accepted =
        anon.post("/agent/register", registration("n1", "1.0", 1), Registration.Accepted.class);
    node =
        OceanClient.withAuthorization(server.url(), "Bearer " + accepted.credential())
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
  }

  @AfterEach
  void stop() {
    server.close();
  }

  private Registration registration(String name, String version, int protocol) {
    return new Registration(
        token,
        name,
        version,
        protocol,
        new NodeFacts("n", "Linux", "amd64", "cpu", 8, 1L << 34, List.of(), List.of(), null));
  }

  private static GpuSample gpu(int index, Integer util, List<GpuProcess> processes) {
    return new GpuSample(
        index, "GPU-" + index, util, 0, 0, 80000, 40, 100.0, 700.0, processes, null);
  }

  private static NodeMetrics metrics(List<GpuSample> gpus) {
    return new NodeMetrics(1, 10.0, 1.0, 1.0, 1.0, 1L, 2L, 3L, 4L, gpus);
  }

  private static void refused(int status, String field, Executable call) {
    OceanApiException e = assertThrows(OceanApiException.class, call);
    assertEquals(status, e.status(), e.getMessage());
    if (field != null) {
      assertEquals(field, e.problem().field(), e.getMessage());
    }
  }

  private void beat(NodeMetrics m) {
    node.post("/agent/heartbeat", new Heartbeat(m, null, List.of()), Map.class);
  }

  @Test
  void moreThan64GpusAreRefused() {
    List<GpuSample> gpus = IntStream.range(0, 65).mapToObj(i -> gpu(i, 0, List.of())).toList();

    refused(400, "metrics.gpus", () -> beat(metrics(gpus)));
  }

  @Test
  void moreThan256ProcessesOnAGpuAreRefused() {
    List<GpuProcess> many = Collections.nCopies(257, new GpuProcess(1, "python", 1));

    refused(400, "metrics.gpus[0].processes", () -> beat(metrics(List.of(gpu(0, 0, many)))));
  }

  @Test
  void numbersOutOfRangeAreRefused() {
    refused(
        400,
        "metrics.gpus[0].utilisationGpu",
        () -> beat(metrics(List.of(gpu(0, 101, List.of())))));
  }

  @Test
  void hugeBodyIsRefusedAs413() {
    String name = "p".repeat(1000);
    List<GpuProcess> procs = Collections.nCopies(200, new GpuProcess(1, name, 1));
    List<GpuSample> gpus = IntStream.range(0, 4).mapToObj(i -> gpu(i, 0, procs)).toList();

    refused(413, null, () -> beat(metrics(gpus)));
  }

  @Test
  void longAgentVersionAndProtocolZeroAreRefusedAtRegistration() {
    refused(
        400,
        "agentVersion",
        () -> anon.post("/agent/register", registration("n2", "v".repeat(65), 1), Map.class));
    refused(
        400,
        "protocol",
        () -> anon.post("/agent/register", registration("n3", "1.0", 0), Map.class));
  }

  @Test
  void aNormalHeartbeatIsStillTaken() {
    beat(metrics(List.of(gpu(0, 50, List.of(new GpuProcess(7, "python", 100))))));

    assertEquals(1, admin.get("/nodes/n1/metrics", List.class).size());
  }
}
