package dev.ocean.cli.instance;

import dev.ocean.agent.daemon.AgentDaemon;
import dev.ocean.agent.daemon.NodeClient;
import dev.ocean.agent.runtime.process.ProcessRuntime;
import dev.ocean.agent.work.PortOpener;
import dev.ocean.agent.work.WorkApi;
import dev.ocean.agent.work.WorkLoop;
import dev.ocean.agent.work.WorkTiming;
import dev.ocean.cli.node.Poll;
import dev.ocean.common.Version;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A real server on port 0 and a real agent work loop (process runtime) on node {@code n1}, where
 * ada's instance {@code box} runs: its hidden job's run is a {@code sleep} started by the agent,
 * and the instance row is written as the instance model keeps it (V40). The agent reaches the
 * instance's ports through {@code ports}, which tests point at servers on 127.0.0.1 standing in for
 * the container: nothing but the server's port is reachable from the CLI's side.
 */
final class TunnelCluster implements AutoCloseable {
  static final String PASSWORD = "Sea-Sh3ll!s";

  final OceanServer server;
  final String adaToken;
  final String bobToken;
  private final WorkLoop agent;

  TunnelCluster(Path dir, PortOpener ports) throws Exception {
    server =
        OceanServer.start(
            new ServerConfig(dir.resolve("data"))
                .host("127.0.0.1")
                .port(0)
                .bcryptCost(4)
                .nodeLostAfter(Duration.ofHours(1))
                .adminEmail("admin@ocean.test")
                .adminPassword(PASSWORD),
            new PrintStream(PrintStream.nullOutputStream()));
    OceanClient admin = OceanClient.forUser(server.url(), login("admin@ocean.test"));
    admin.post(
        "/machine-types",
        new MachineType.Create("g1", 1, 1, 1, null, null, null),
        MachineType.class);
    admin.post("/images", new Image.Create("busybox", "busybox:latest", null, null), Image.class);
    adaToken = signup("ada@ocean.test");
    bobToken = signup("bob@ocean.test");
    admin.post("/admin/quotas", new Quota.Grant("ada@ocean.test", "g1", 2, 1), Quota.class);
    NodeClient node = register(admin);
    agent =
        new WorkLoop(
                new WorkApi(node), // a read timeout longer than the server holds a poll
                new ProcessRuntime(dir.resolve("agent/runs")),
                dir.resolve("agent"),
                null,
                WorkTiming.defaults())
            .openTunnelsWith(ports)
            .start();
    OceanClient ada = OceanClient.forUser(server.url(), adaToken);
    Job job =
        ada.post(
            "/jobs",
            new Job.Submit(
                "box", "g1", "busybox", null, List.of("sleep", "600"), Map.of(), 1, 1, null, null),
            Job.class);
    // the run itself, not the job: a job is running as soon as its run is assigned, and an
    // assignment the agent fetches after the job became an instance would ask the process runtime
    // for a container, which it refuses, failing the instance
    Poll.check(
        Duration.ofSeconds(60),
        "the instance's run is running",
        () -> "running".equals(ada.get("/jobs/" + job.id(), Job.class).runs().getFirst().state()));
    instance(job.id(), "ada@ocean.test", "box");
  }

  String url() {
    return server.url();
  }

  /** Makes job {@code jobId} the hidden job of {@code owner}'s running instance {@code name}. */
  private void instance(long jobId, String owner, String name) {
    server
        .database()
        .jdbi()
        .useHandle(
            h -> {
              long userId =
                  h.createQuery("SELECT id FROM users WHERE email = ?")
                      .bind(0, owner)
                      .mapTo(Long.class)
                      .one();
              h.execute("UPDATE jobs SET kind = 'instance' WHERE id = ?", jobId);
              h.execute(
                  "INSERT INTO instances (user_id, name, job_id, state, created_at) VALUES (?, ?,"
                      + " ?, 'running', ?)",
                  userId,
                  name,
                  jobId,
                  Instant.now().toEpochMilli());
            });
  }

  private NodeClient register(OceanClient admin) {
    JoinToken t =
        admin.post("/admin/join-tokens", new JoinToken.Create("1h", null), JoinToken.class);
    List<GpuInfo> gpus =
        IntStream.range(0, 2)
            .mapToObj(i -> new GpuInfo(i, "GPU-" + i, "H100", 81559, null))
            .toList();
    NodeFacts facts =
        new NodeFacts("n1", "Linux", "amd64", "cpu", 8, 64L << 30, List.of(), gpus, null);
    var accepted =
        OceanClient.forUser(server.url(), null)
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
            .post(
                "/agent/register",
                new Registration(t.token(), "n1", Version.VERSION, Version.AGENT_PROTOCOL, facts),
                Registration.Accepted.class);
    return AgentDaemon.agentClient(server.url(), accepted.credential());
  }

  private String signup(String email) {
    OceanClient.forUser(server.url(), null)
        .post("/auth/signup", new Credentials(email, PASSWORD), Object.class);
    return login(email);
  }

  private String login(String email) {
    return OceanClient.forUser(server.url(), null)
        .post("/auth/login", new Credentials(email, PASSWORD), Session.class)
        .token();
  }

  @Override
  public void close() {
    agent.stopAll();
    agent.close();
    server.close();
  }
}
