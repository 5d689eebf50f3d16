package dev.ocean.server.durability;

import dev.ocean.common.Version;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.LogAck;
import dev.ocean.common.api.job.RunReport;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.function.UnaryOperator;

/**
 * A real server on port 0 with its data in a temp directory, an admin with quota for 8 {@code
 * cpu1}, and one node whose agent the test plays by hand over the real agent protocol.
 */
public final class ScriptedCluster implements AutoCloseable {
  public static final String ADMIN = "admin@example.com";
  public static final String PASSWORD = "Admin123!x";

  public final OceanServer server;
  public final OceanClient admin;
  public final OceanClient node;
  public final String credential;

  private ScriptedCluster(OceanServer server, OceanClient admin, OceanClient node, String cred) {
    this.server = server;
    this.admin = admin;
    this.node = node;
    this.credential = cred;
  }

  /** A fresh server on {@code data}, set up as described above. */
  public static ScriptedCluster start(Path data, UnaryOperator<ServerConfig> tune)
      throws IOException {
    OceanServer server = startServer(data, tune);
    OceanClient admin = login(server.url());
    admin.post(
        "/machine-types",
        new MachineType.Create("cpu1", 1, 1, 0, null, null, null),
        MachineType.class);
    admin.post("/images", new Image.Create("host", "host", null, null), Image.class);
    admin.post("/admin/quotas", new Quota.Grant(ADMIN, "cpu1", 8, 1), Quota.class);
    JoinToken t = admin.post("/admin/join-tokens", new JoinToken.Create("1h", 10), JoinToken.class);
    NodeFacts facts =
        new NodeFacts("n1", "Linux", "amd64", "cpu", 64, 64L << 30, List.of(), List.of(), null);
    var accepted =
        agentClient(server.url(), null)
            .post(
                "/agent/register",
                new Registration(t.token(), "n1", Version.VERSION, Version.AGENT_PROTOCOL, facts),
                Registration.Accepted.class);
    return new ScriptedCluster(
        server, admin, agentClient(server.url(), accepted.credential()), accepted.credential());
  }

  /** A server on an existing data directory (after a restore), no set-up. */
  public static OceanServer startServer(Path data, UnaryOperator<ServerConfig> tune)
      throws IOException {
    return OceanServer.start(
        tune.apply(
            new ServerConfig(data)
                .port(0)
                .host("127.0.0.1")
                .bcryptCost(4)
                .adminEmail(ADMIN)
                .adminPassword(PASSWORD)),
        new PrintStream(PrintStream.nullOutputStream()));
  }

  public static OceanClient login(String url) {
    Session s =
        OceanClient.forUser(url, null)
            .post("/auth/login", new Credentials(ADMIN, PASSWORD), Session.class);
    return OceanClient.forUser(url, s.token()).withReadTimeout(Duration.ofSeconds(60));
  }

  public static OceanClient agentClient(String url, String credential) {
    OceanClient c =
        credential == null
            ? OceanClient.forUser(url, null)
            : OceanClient.withAuthorization(url, "Bearer " + credential);
    return c.withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
  }

  public Job submit(String name) {
    return admin.post(
        "/jobs",
        new Job.Submit(name, "cpu1", "host", null, List.of("true"), Map.of(), 1, 1, "test", null),
        Job.class);
  }

  /** The node's long poll, as the agent does it; {@code known} are the runs it already has. */
  public Work poll(List<String> known) {
    return node.get("/agent/work?wait=2&known=" + String.join(",", known), Work.class);
  }

  public void report(String runId, String state, Integer exit) {
    node.post(
        "/agent/runs/" + runId + "/status",
        new RunReport(state, exit, null, null, null),
        LogAck.class);
  }

  public long ship(String runId, long offset, byte[] bytes) {
    return node.postBytes(
            "/agent/runs/" + runId + "/logs?offset=" + offset,
            bytes,
            "application/octet-stream",
            LogAck.class)
        .size();
  }

  public static String log(OceanClient user, long job, int run) throws IOException {
    try (InputStream in = user.stream("/jobs/" + job + "/runs/" + run + "/logs")) {
      return new String(in.readAllBytes(), StandardCharsets.UTF_8);
    }
  }

  @Override
  public void close() {
    server.close();
  }
}
