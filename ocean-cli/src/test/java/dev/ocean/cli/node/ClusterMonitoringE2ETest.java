package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.node.Node;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The monitoring path end to end: a real server in-process, agents as real OS processes reading the
 * fake nvidia-smi, and the CLI's node, gpu and top views plus {@code /metrics}.
 */
class ClusterMonitoringE2ETest {
  private static final Duration JOIN = Duration.ofSeconds(90);
  private static final Duration SOON = Duration.ofSeconds(30);
  private static final TypeReference<List<Node.Gpu>> GPUS = new TypeReference<>() {};

  @TempDir Path dir;
  private TestCluster cluster;
  private Agents agents;

  @BeforeEach
  void start() throws IOException {
    cluster = new TestCluster(dir);
    agents = new Agents(dir.resolve("logs"));
  }

  @AfterEach
  void stop() throws InterruptedException {
    agents.close();
    cluster.close();
  }

  private Process join(String token, String name, String fixture) throws IOException {
    return agents.start(
        fixture,
        name,
        "join",
        "--server",
        cluster.url(),
        "--token",
        token,
        "--name",
        name,
        "--state-dir",
        stateDir(name).toString(),
        "--heartbeat",
        "1");
  }

  private Path stateDir(String name) {
    return dir.resolve("agents").resolve(name);
  }

  private void awaitState(String name, String state, Duration timeout) {
    try {
      Poll.check(timeout, name + " is " + state, () -> state.equals(cluster.stateOf(name)));
    } catch (AssertionError e) {
      // the agents' output as it is now, when the wait failed, says why
      throw new AssertionError(
          e.getMessage()
              + "; agent log: "
              + logOf(name)
              + "; restarted agent log: "
              + logOf(name + "-run"),
          e);
    }
  }

  private String logOf(String name) {
    try {
      return agents.log(name);
    } catch (IOException e) {
      return e.toString();
    }
  }

  @Test
  void threeAgentsShowEveryGpuInEveryView() throws Exception {
    String token = cluster.joinToken("1h", 3);
    Map<String, String> fixtures = new LinkedHashMap<>();
    fixtures.put("h100-box", "h100x8");
    fixtures.put("a100-box", "a100x4");
    fixtures.put("rtx-box", "rtx4090");
    for (var e : fixtures.entrySet()) {
      join(token, e.getKey(), e.getValue());
    }
    for (String name : fixtures.keySet()) {
      awaitState(name, "ready", JOIN);
    }

    List<Node.Gpu> gpus =
        Poll.until(
            SOON,
            "all 13 GPUs report a reading",
            () -> {
              List<Node.Gpu> all = cluster.admin("gpu", "list", "-o", "json").ok().json(GPUS);
              return all.size() == 13 && all.stream().allMatch(g -> g.temperatureC() != null)
                  ? all
                  : null;
            });
    assertEquals(8, gpus.stream().filter(g -> g.node().equals("h100-box")).count());
    Node.Gpu h100 = gpu(gpus, "h100-box", 0);
    assertEquals("NVIDIA H100 80GB HBM3", h100.model());
    assertEquals(81559, h100.memoryTotalMib());
    assertEquals(71234, h100.memoryUsedMib());
    assertEquals(98, h100.utilisationGpu());
    assertEquals(67, h100.temperatureC());
    assertEquals(612.45, h100.powerDrawW(), 0.001);
    assertEquals(700.0, h100.powerLimitW(), 0.001);
    Node.Gpu a100 = gpu(gpus, "a100-box", 2);
    assertEquals("NVIDIA A100-SXM4-40GB", a100.model());
    assertEquals(40960, a100.memoryTotalMib());
    assertNull(a100.powerDrawW(), "[N/A] power draw is unknown, not zero");
    assertNull(a100.powerLimitW(), "[Not Supported] power limit is unknown, not zero");
    assertEquals(287.33, gpu(gpus, "a100-box", 0).powerDrawW(), 0.001);
    Node.Gpu rtx = gpu(gpus, "rtx-box", 0);
    assertEquals("NVIDIA GeForce RTX 4090", rtx.model());
    assertEquals(24564, rtx.memoryTotalMib());
    assertEquals(3, rtx.utilisationGpu());

    List<String> a100Row =
        cluster
            .admin("gpu", "list")
            .ok()
            .out()
            .lines()
            .filter(l -> l.startsWith("a100-box  2 "))
            .map(l -> List.of(l.split(" {2,}")))
            .findFirst()
            .orElseThrow();
    assertEquals(
        List.of(
            "a100-box", "2", "NVIDIA A100-SXM4-40GB", "0%", "4/40960 MiB", "35C", "-", "-", "-"),
        a100Row,
        "unknown power shows as -");

    String get = cluster.admin("node", "get", "h100-box").ok().out();
    assertEquals(8, get.lines().filter(l -> l.contains("NVIDIA H100 80GB HBM3")).count(), get);
    assertTrue(get.contains("State:         ready"), get);
    assertTrue(get.contains("71234/81559 MiB"), get);

    String top = cluster.admin("top", "--once").ok().out();
    assertTrue(top.contains("nodes 3/3 ready"), top);
    assertTrue(top.contains("GPUs 0/13 in use"), top);
    assertTrue(top.contains("gpu7 "), top);

    String metrics = get(cluster.url() + "/metrics");
    String line =
        metrics
            .lines()
            .filter(l -> l.startsWith("ocean_gpu_utilisation_percent{"))
            .filter(l -> l.contains("node=\"h100-box\""))
            .filter(l -> l.contains("index=\"0\""))
            .filter(l -> l.contains("model=\"NVIDIA H100 80GB HBM3\""))
            .findFirst()
            .orElseThrow(() -> new AssertionError("no H100 GPU 0 utilisation in\n" + metrics));
    assertTrue(line.endsWith(" 98.0") || line.endsWith(" 98"), line);
    assertEquals(
        13, metrics.lines().filter(l -> l.startsWith("ocean_gpu_utilisation_percent{")).count());

    for (String name : fixtures.keySet()) {
      Path json = stateDir(name).resolve("agent.json");
      assertEquals(
          "rw-------", PosixFilePermissions.toString(Files.getPosixFilePermissions(json)), name);
    }
  }

  @Test
  void killedAgentGoesLostThenComesBackAsTheSameNodeAndLeaves() throws Exception {
    String token = cluster.joinToken("1h", 2);
    Process victim = join(token, "rtx-box", "rtx4090");
    join(token, "a100-box", "a100x4");
    awaitState("rtx-box", "ready", JOIN);
    awaitState("a100-box", "ready", JOIN);
    // The server counts the node from its registration, a moment before the agent has stored the
    // credential it got back: kill it only once it has, as a node that joined would be.
    Poll.check(
        SOON,
        "rtx-box's agent has stored its identity",
        () ->
            logOf("rtx-box").contains("Joined ")
                && Files.exists(stateDir("rtx-box").resolve("agent.json")));

    victim.destroyForcibly();
    assertTrue(victim.waitFor(10, TimeUnit.SECONDS));
    awaitState("rtx-box", "lost", Duration.ofSeconds(15));
    assertEquals("ready", cluster.stateOf("a100-box"), "a silent neighbour is not lost");

    Process back =
        agents.start(
            "rtx4090", "rtx-box-run", "run", "--state-dir", stateDir("rtx-box").toString());
    awaitState("rtx-box", "ready", JOIN);
    assertEquals(1, cluster.nodes().stream().filter(n -> n.name().equals("rtx-box")).count());
    assertEquals(2, cluster.nodes().size());

    TestCluster.Run status =
        Poll.until(
            SOON,
            "the agent's status shows a heartbeat since the restart",
            () -> {
              try {
                TestCluster.Run s =
                    agents.run(
                        "rtx4090",
                        "status-" + System.nanoTime(),
                        "status",
                        "--state-dir",
                        stateDir("rtx-box").toString());
                return s.exit() == 0 && s.out().contains("server says     ready") ? s : null;
              } catch (IOException | InterruptedException e) {
                throw new IllegalStateException(e);
              }
            });
    String out = status.out();
    assertTrue(out.contains("server          " + cluster.url()), out);
    assertTrue(out.contains("node            rtx-box"), out);
    assertTrue(out.lines().anyMatch(l -> l.startsWith("last heartbeat  20")), out);
    assertTrue(out.contains("gpu             0: NVIDIA GeForce RTX 4090 (24564 MiB)"), out);

    TestCluster.Run leave =
        agents.run(
            "rtx4090", "rtx-box-leave", "leave", "--state-dir", stateDir("rtx-box").toString());
    assertEquals(0, leave.exit(), leave.out());
    assertTrue(leave.out().contains("Node rtx-box left"), leave.out());
    assertNull(cluster.stateOf("rtx-box"));
    assertEquals(List.of("a100-box"), cluster.nodes().stream().map(Node::name).toList());
    assertTrue(Files.notExists(stateDir("rtx-box").resolve("agent.json")));

    assertTrue(
        leave.out().contains("Stopped the agent that ran here (pid " + back.pid() + ")"),
        leave.out());
    assertTrue(back.waitFor(30, TimeUnit.SECONDS), "leave stops the agent running there");
  }

  private static Node.Gpu gpu(List<Node.Gpu> gpus, String node, int index) {
    return gpus.stream()
        .filter(g -> g.node().equals(node) && g.index() == index)
        .findFirst()
        .orElseThrow(() -> new AssertionError("no GPU " + node + "/" + index + " in " + gpus));
  }

  private static String get(String url) throws IOException, InterruptedException {
    try (HttpClient http = HttpClient.newHttpClient()) {
      HttpResponse<String> r =
          http.send(
              HttpRequest.newBuilder(URI.create(url)).build(),
              HttpResponse.BodyHandlers.ofString());
      assertEquals(200, r.statusCode(), r.body());
      return r.body();
    }
  }
}
