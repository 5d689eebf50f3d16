package dev.ocean.cli.node;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.node.Node;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Whole GPUs through the whole system: an agent on a (fake) 8×H100 node with the process runtime
 * gets runs with exactly their GPU indices in CUDA_VISIBLE_DEVICES, the cluster shows who holds
 * which GPU, and a run too big for what is free waits and says why.
 */
class GpuJobsE2ETest {
  private static final Duration WAIT = Duration.ofSeconds(60);

  @TempDir Path dir;
  TestCluster cluster;
  Agents agents;

  @BeforeEach
  void start() throws Exception {
    cluster = new TestCluster(dir);
    agents = new Agents(dir.resolve("logs"));
    String storage = dir.resolve("server").resolve("storage").toString();
    agents.start(
        "h100x8",
        "gpu1",
        "join",
        "--server",
        cluster.url(),
        "--token",
        cluster.joinToken("1h"),
        "--name",
        "gpu1",
        "--state-dir",
        dir.resolve("agent").toString(),
        "--heartbeat",
        "1",
        "--runtime",
        "process",
        "--run-as",
        System.getProperty("user.name"),
        "--storage",
        storage);
    Poll.check(WAIT, "gpu1 is ready", () -> "ready".equals(cluster.stateOf("gpu1")));
    cluster
        .admin(
            "admin",
            "machine-type",
            "create",
            "h100.2",
            "--cpus",
            "1",
            "--memory",
            "1",
            "--gpus",
            "2",
            "--gpu-model",
            "H100")
        .ok();
    cluster
        .admin(
            "admin",
            "machine-type",
            "create",
            "h100.8",
            "--cpus",
            "1",
            "--memory",
            "1",
            "--gpus",
            "8",
            "--gpu-model",
            "H100")
        .ok();
    cluster
        .admin(
            "admin",
            "machine-type",
            "create",
            "a100.1",
            "--cpus",
            "1",
            "--memory",
            "1",
            "--gpus",
            "1",
            "--gpu-model",
            "A100")
        .ok();
    cluster.admin("admin", "image", "add", "host", "local/host").ok();
    for (String type : List.of("h100.2", "h100.8", "a100.1")) {
      cluster
          .admin(
              "admin",
              "quota",
              "grant",
              "ada@example.com",
              "--machine-type",
              type,
              "--count",
              "2",
              "--days",
              "1")
          .ok();
    }
  }

  @AfterEach
  void stop() throws Exception {
    agents.close();
    cluster.close();
  }

  private long submit(String name, String type, String script) {
    String id =
        cluster
            .user(
                "job",
                "submit",
                "--name",
                name,
                "--machine-type",
                type,
                "--image",
                "host",
                "-q",
                "--",
                "sh",
                "-c",
                script)
            .ok()
            .out()
            .strip();
    return Long.parseLong(id);
  }

  private Job job(long id) {
    return cluster
        .user("job", "get", String.valueOf(id), "-o", "json")
        .ok()
        .json(new TypeReference<Job>() {});
  }

  private String firstLine(long id) {
    String log = cluster.user("logs", String.valueOf(id)).ok().out();
    return log.isEmpty() ? "" : log.lines().findFirst().orElse("");
  }

  @Test
  void runsGetExactlyTheirGpusAndTheClusterShowsWhoHoldsThem() {
    String script = "echo \"gpus=$CUDA_VISIBLE_DEVICES\"; sleep 120";
    long a = submit("a", "h100.2", script);
    long b = submit("b", "h100.2", script);
    Poll.check(
        WAIT,
        "both runs print their GPUs",
        () -> firstLine(a).startsWith("gpus=") && firstLine(b).startsWith("gpus="));
    // the fixture's GPUs 0-3 (and 5) are busy with processes Ocean did not start: idle ones first
    assertEquals("gpus=4,6", firstLine(a), "the idle GPUs first, lowest index among equals");
    assertEquals("gpus=5,7", firstLine(b));
    assertEquals(List.of(4, 6), job(a).runs().getFirst().gpus());
    assertEquals("gpu1", job(a).runs().getFirst().node());

    List<Node.Gpu> gpus =
        cluster
            .admin("gpu", "list", "-o", "json")
            .ok()
            .json(new TypeReference<List<Node.Gpu>>() {});
    assertEquals(8, gpus.size());
    for (Node.Gpu g : gpus) {
      if (g.index() == 4 || g.index() == 6) {
        assertEquals("ada@example.com (job " + a + " run 0)", g.heldBy());
      } else if (g.index() == 5 || g.index() == 7) {
        assertEquals("ada@example.com (job " + b + " run 0)", g.heldBy());
      } else {
        assertNull(g.heldBy(), "GPU " + g.index() + " is free");
      }
    }
    Node node = cluster.nodes().getFirst();
    assertEquals(4, node.gpusUsed());
    assertTrue(
        cluster.admin("gpu", "list").ok().out().contains("ada@example.com (job " + a + " run 0)"));

    long big = submit("big", "h100.8", "echo \"gpus=$CUDA_VISIBLE_DEVICES\"");
    Poll.check(
        WAIT,
        "the 8-GPU run waits with a reason",
        () -> job(big).runs().getFirst().waitReason() != null);
    var waiting = job(big).runs().getFirst();
    assertEquals("pending", waiting.state());
    assertEquals(1, waiting.queuePosition());
    String listed = cluster.user("job", "list").ok().out();
    assertTrue(listed.contains("#1"), listed);

    cluster.user("job", "cancel", String.valueOf(a), String.valueOf(b)).ok();
    Poll.check(
        WAIT,
        "the 8-GPU run starts once the GPUs are free and ends",
        () -> "succeeded".equals(job(big).state()));
    assertEquals("gpus=0,1,2,3,4,5,6,7", firstLine(big));
    assertEquals("cancelled", job(a).state());
  }

  @Test
  void aRunNoNodeCouldEverHoldSaysSo() {
    long id = submit("a100", "a100.1", "true");
    Poll.check(
        WAIT, "the A100 run has a reason", () -> job(id).runs().getFirst().waitReason() != null);
    String reason = job(id).runs().getFirst().waitReason();
    assertTrue(reason.contains("A100"), reason);
    assertEquals("pending", job(id).state());
  }
}
