package dev.ocean.cli.e2e;

import dev.ocean.common.Version;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.client.OceanClient;
import java.util.List;

/**
 * A node whose agent the test plays by hand through the real agent protocol: it registers with a
 * container runtime and one GPU, polls for work and reports runs.
 */
final class FakeAgent {
  private final OceanClient node;

  FakeAgent(TestCluster cluster, String name) {
    this(cluster, name, 64L << 30);
  }

  FakeAgent(TestCluster cluster, String name, long memoryBytes) {
    OceanClient admin = OceanClient.forUser(cluster.url(), cluster.admin().token());
    JoinToken t = admin.post("/admin/join-tokens", new JoinToken.Create("1h", 1), JoinToken.class);
    NodeFacts facts =
        new NodeFacts(
            name,
            "Linux",
            "amd64",
            "cpu",
            8,
            memoryBytes,
            List.of(),
            List.of(new GpuInfo(0, "GPU-0", "H100", 81559, null)),
            new RuntimeInfo(RuntimeInfo.DOCKER, null, RuntimeInfo.HANDOFF_CDI, true));
    var accepted =
        OceanClient.forUser(cluster.url(), null)
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
            .post(
                "/agent/register",
                new Registration(t.token(), name, Version.VERSION, Version.AGENT_PROTOCOL, facts),
                Registration.Accepted.class);
    node =
        OceanClient.withAuthorization(cluster.url(), "Bearer " + accepted.credential())
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
  }

  /** The next run assigned to this node (waits up to 10 s). */
  Assignment next() {
    Work w = node.get("/agent/work?wait=10", Work.class);
    return w.start().getFirst();
  }

  /** The node's next answer to its long poll (waits up to {@code seconds}). */
  Work poll(int seconds) {
    return node.get("/agent/work?wait=" + seconds, Work.class);
  }

  void running(Assignment a, InstanceEndpoints endpoints) {
    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("running", null, null, "/home/linuxbrew", endpoints),
        LogAck.class);
  }

  void failed(Assignment a, String reason) {
    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("failed", null, reason, null, null),
        LogAck.class);
  }
}
