package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.GlobalOptions;
import dev.ocean.cli.instance.InstanceExtendCommand;
import dev.ocean.common.Version;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.client.OceanClient;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Idle stop as users meet it in the CLI: the admin sets it on a machine type, the owner of an idle
 * instance is warned once on stderr by any {@code ocean} command, and {@code ocean instance extend}
 * says when the admin's cap clamped it.
 */
class IdleStopCliTest {
  @TempDir Path dir;
  private TestCluster cluster;

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void anExtendCapOfZeroIsRefusedNotTakenForTheIdleStop() {
    cluster = TestCluster.start(dir);
    Ocean admin = cluster.admin();
    String[] create = {
      "admin",
      "machine-type",
      "create",
      "t2",
      "--cpus",
      "1",
      "--memory",
      "1",
      "--gpus",
      "0",
      "--idle-stop",
      "3",
      "--idle-extend-max",
      "0"
    };
    assertEquals(
        "--idle-extend-max must be between 1 and 8784, not 0.",
        admin.ocean(create).failsWithOneLine(2));
    assertFalse(admin.ocean("machine-type", "list", "-q").ok().out().contains("t2"));
    create[create.length - 1] = "2";
    admin.ocean(create).ok();
    assertEquals(
        "--idle-extend-max must be between 1 and 8784, not 0.",
        admin
            .ocean("admin", "machine-type", "update", "t2", "--idle-extend-max", "0")
            .failsWithOneLine(2));
    assertTrue(
        admin
            .ocean("machine-type", "list", "-o", "wide")
            .ok()
            .out()
            .contains("3 h (extend ≤ 2 h)"));
  }

  @Test
  void ownerIsWarnedOnceAndExtendSaysItWasCapped() {
    cluster = TestCluster.startWith(dir, c -> c.nodeLostAfter(Duration.ofDays(30)));
    Ocean admin = cluster.admin();
    admin
        .ocean(
            "admin",
            "machine-type",
            "create",
            "g1",
            "--cpus",
            "1",
            "--memory",
            "1",
            "--gpus",
            "1",
            "--idle-stop",
            "4",
            "--idle-extend-max",
            "6")
        .ok();
    assertTrue(
        admin
            .ocean("machine-type", "list", "-o", "wide")
            .ok()
            .out()
            .contains("4 h (extend ≤ 6 h)"));
    admin.ocean("admin", "image", "add", "img", "busybox:latest").ok();
    Ocean ada = cluster.user("ada@ocean.test");
    admin
        .ocean(
            "admin",
            "quota",
            "grant",
            "ada@ocean.test",
            "--machine-type",
            "g1",
            "--count",
            "1",
            "--days",
            "1")
        .ok();

    OceanClient node = registerNode(admin.ocean("admin", "node", "token", "-q").ok().out().strip());
    beat(node);
    long job =
        Long.parseLong(
            ada.ocean(
                    "job",
                    "submit",
                    "-q",
                    "--name",
                    "dev",
                    "--machine-type",
                    "g1",
                    "--image",
                    "img",
                    "--",
                    "sleep",
                    "inf")
                .ok()
                .out()
                .strip());
    Assignment run = null;
    for (int i = 0; i < 20 && run == null; i++) {
      run = node.get("/agent/work?wait=1", Work.class).start().stream().findFirst().orElse(null);
    }
    node.post(
        "/agent/runs/" + run.runId() + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);
    long now = cluster.clock.millis();
    cluster
        .server
        .database()
        .jdbi()
        .useHandle(
            h ->
                h.createUpdate(
                        "INSERT INTO instances (user_id, name, job_id, state, created_at,"
                            + " started_at) SELECT user_id, 'dev', id, 'running', ?, ? FROM jobs"
                            + " WHERE id = ?")
                    .bind(0, now)
                    .bind(1, now)
                    .bind(2, job)
                    .execute());

    cluster.clock.advance(Duration.ofMinutes(3 * 60 + 40));
    beat(node);
    cluster.server.sweepNow();
    Run listed = ada.ocean("job", "list").ok();
    assertEquals(
        "notice: instance dev stops in 20 min (idle); ocean instance extend dev\n",
        listed.err(),
        "warned once on stderr, the output untouched");

    StringWriter err = new StringWriter();
    InstanceExtendCommand extend = new InstanceExtendCommand();
    new CommandLine(extend).parseArgs("dev", "--hours", "10");
    extend.context(
        new CliContext(
            Map.of("OCEAN_SERVER", cluster.url(), "OCEAN_TOKEN", ada.token()),
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(new StringWriter()),
            new PrintWriter(err),
            null,
            false),
        new GlobalOptions());
    assertEquals(0, extend.call());
    assertEquals(
        "Instance dev will not be stopped for being idle before 18:40 UTC (you asked for 10 h;"
            + " the admin allows at most 6 h from now).",
        err.toString().strip());
  }

  private OceanClient registerNode(String joinToken) {
    NodeFacts facts =
        new NodeFacts(
            "n1",
            "Linux",
            "amd64",
            "cpu",
            4,
            8L << 30,
            List.of(),
            List.of(new GpuInfo(0, "GPU-0", "H100", 81559, null)),
            new RuntimeInfo(RuntimeInfo.DOCKER, null, RuntimeInfo.HANDOFF_NVIDIA_RUNTIME, true));
    var accepted =
        OceanClient.forUser(cluster.url(), null)
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
            .post(
                "/agent/register",
                new Registration(joinToken, "n1", Version.VERSION, Version.AGENT_PROTOCOL, facts),
                Registration.Accepted.class);
    return OceanClient.withAuthorization(cluster.url(), "Bearer " + accepted.credential())
        .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
  }

  /** The node reports GPU 0 idle, at the moved clock's time. */
  private void beat(OceanClient node) {
    GpuSample gpu = new GpuSample(0, "GPU-0", 0, 0, 1024, 81559, 40, 80.0, 700.0, List.of(), null);
    node.post(
        "/agent/heartbeat",
        new Heartbeat(
            new NodeMetrics(
                cluster.clock.millis(), 1.0, 0.1, 0.1, 0.1, 1L, 2L, 0L, 0L, List.of(gpu)),
            null,
            List.of()),
        Map.class);
  }
}
