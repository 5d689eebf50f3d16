package dev.ocean.server.testing;

import dev.ocean.common.Version;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.job.Assignment;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import dev.ocean.server.store.TestStorage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.stream.IntStream;

/**
 * A real server on port 0 (on the given database) with an admin, machine type {@code g1} (1 GPU),
 * image {@code busybox}, a quota of 4 and one registered node {@code n1} with two GPUs whose agent
 * the test plays by hand through the real protocol.
 */
public final class ScriptedCluster implements AutoCloseable {
  public final OceanServer server;
  public final OceanClient admin;
  public final OceanClient node;

  /** The node's {@code Authorization} header value, for requests made by hand. */
  public final String nodeAuthorization;

  public final String adminToken;

  public ScriptedCluster(Path dir, TestStorage storage) throws Exception {
    this(dir, storage, c -> c);
  }

  /** Like {@link #ScriptedCluster(Path, TestStorage)} with more server settings. */
  public ScriptedCluster(
      Path dir, TestStorage storage, java.util.function.UnaryOperator<ServerConfig> more)
      throws Exception {
    ServerConfig config =
        new ServerConfig(dir.resolve("data"))
            .port(0)
            .host("127.0.0.1")
            .bcryptCost(4)
            .storageDir(dir.resolve("storage"))
            .adminEmail("admin@example.com")
            .adminPassword("Admin123!x");
    if (storage == TestStorage.POSTGRES) {
      config.dbUrl(storage.newUrl(dir, "scripted"));
    }
    config = more.apply(config);
    server = OceanServer.start(config, new PrintStream(PrintStream.nullOutputStream()));
    adminToken =
        OceanClient.forUser(server.url(), null)
            .post("/auth/login", new Credentials("admin@example.com", "Admin123!x"), Session.class)
            .token();
    admin = OceanClient.forUser(server.url(), adminToken);
    admin.post(
        "/machine-types",
        new MachineType.Create("g1", 1, 1, 1, null, null, null),
        MachineType.class);
    admin.post("/images", new Image.Create("busybox", "busybox:latest", null, null), Image.class);
    admin.post("/admin/quotas", new Quota.Grant("admin@example.com", "g1", 4, 1), Quota.class);
    JoinToken t =
        admin.post("/admin/join-tokens", new JoinToken.Create("1h", null), JoinToken.class);
    List<GpuInfo> gpus =
        IntStream.range(0, 2)
            .mapToObj(i -> new GpuInfo(i, "GPU-" + i, "H100", 81559, null))
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
    nodeAuthorization = "Bearer " + accepted.credential();
    node =
        OceanClient.withAuthorization(server.url(), nodeAuthorization)
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
  }

  public OceanClient login(String email, String password) {
    Session s =
        OceanClient.forUser(server.url(), null)
            .post("/auth/login", new Credentials(email, password), Session.class);
    return OceanClient.forUser(server.url(), s.token());
  }

  /** Submits {@code repeat} runs of {@code true} as the admin, optionally on a volume. */
  public Job submit(String name, String volume, int repeat) {
    return admin.post(
        "/jobs",
        new Job.Submit(
            name, "g1", "busybox", volume, List.of("true"), Map.of(), repeat, 1, null, null),
        Job.class);
  }

  /** The agent's long poll, telling the server which runs it already has. */
  public Work poll(String... known) {
    return node.get("/agent/work?wait=5&known=" + String.join(",", known), Work.class);
  }

  /** The next run assigned to the node. */
  public Assignment next() {
    return poll().start().getFirst();
  }

  /** The agent reports a run's state. */
  public void report(String runId, String state, Integer exitCode) {
    node.post(
        "/agent/runs/" + runId + "/status",
        new RunReport(state, exitCode, null, null, null),
        LogAck.class);
  }

  public Job job(long id) {
    return admin.get("/jobs/" + id, Job.class);
  }

  @Override
  public void close() {
    server.close();
  }
}
