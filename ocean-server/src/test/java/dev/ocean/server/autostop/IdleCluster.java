package dev.ocean.server.autostop;

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
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import dev.ocean.server.store.MovableClock;
import dev.ocean.server.store.TestStorage;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.IntStream;
import org.jdbi.v3.core.Jdbi;

/**
 * A real server on a {@link MovableClock} whose timers run only when the test sweeps, machine type
 * {@code g1} (1 GPU, idle stop 4 h, extend up to 6 h), users ada and bob, and a node {@code n1}
 * with {@value #GPUS} GPUs whose agent the test plays through the real protocol, heartbeats with
 * GPU readings included. Instances are made the way the instance service stores them (a row over a
 * running hidden job); stops go through the instance service, recorded.
 */
final class IdleCluster implements AutoCloseable {
  static final int GPUS = 5;
  static final String PASSWORD = "Admin123!x";

  final MovableClock clock = new MovableClock(Instant.parse("2030-01-01T10:00:00Z"));
  final OceanServer server;
  final OceanClient admin;
  final OceanClient ada;
  final OceanClient bob;

  /** Each client's login token, for raw requests. */
  final Map<OceanClient, String> tokens = new HashMap<>();

  final OceanClient node;
  final Jdbi jdbi;

  /** What the server stopped: "INSTANCE_ID: reason". */
  final List<String> stops = new CopyOnWriteArrayList<>();

  /** GPU utilisation the next heartbeats report, by index; unset GPUs read 0 %. */
  final Map<Integer, Integer> utilisation = new HashMap<>();

  private final List<String> known = new ArrayList<>();

  IdleCluster(Path dir) throws Exception {
    this(dir, TestStorage.SQLITE);
  }

  IdleCluster(Path dir, TestStorage storage) throws Exception {
    ServerConfig config =
        new ServerConfig(dir.resolve("data"))
            .port(0)
            .host("127.0.0.1")
            .bcryptCost(4)
            .clock(clock)
            .sweepInterval(Duration.ofHours(1))
            .nodeLostAfter(Duration.ofDays(30))
            .storageDir(dir.resolve("storage"))
            .adminEmail("admin@example.com")
            .adminPassword(PASSWORD);
    if (storage == TestStorage.POSTGRES) {
      config.dbUrl(storage.newUrl(dir, "idle"));
    }
    server = OceanServer.start(config, new PrintStream(PrintStream.nullOutputStream()));
    jdbi = server.database().jdbi();
    var real = server.instances();
    server.stopInstancesWith(
        (id, reason) -> {
          stops.add(id + ": " + reason);
          real.stopFor(id, reason);
        });
    admin = login("admin@example.com");
    admin.post(
        "/machine-types", new MachineType.Create("g1", 1, 1, 1, null, 4, 6), MachineType.class);
    admin.post("/images", new Image.Create("busybox", "busybox:latest", null, null), Image.class);
    ada = signup("ada@example.com");
    bob = signup("bob@example.com");
    admin.post("/admin/quotas", new Quota.Grant("ada@example.com", "g1", 8, 1), Quota.class);
    node = join("n1");
    beat();
  }

  /** Joins a node named {@code name} with {@value #GPUS} GPUs; returns its agent's client. */
  OceanClient join(String name) {
    JoinToken t =
        admin.post("/admin/join-tokens", new JoinToken.Create("1h", null), JoinToken.class);
    List<GpuInfo> gpus =
        IntStream.range(0, GPUS)
            .mapToObj(i -> new GpuInfo(i, "GPU-" + i, "H100", 81559, null))
            .toList();
    NodeFacts facts =
        new NodeFacts(
            name,
            "Linux",
            "amd64",
            "cpu",
            16,
            64L << 30,
            List.of(),
            gpus,
            new RuntimeInfo(RuntimeInfo.DOCKER, null, RuntimeInfo.HANDOFF_NVIDIA_RUNTIME, true));
    var accepted =
        OceanClient.forUser(server.url(), null)
            .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL))
            .post(
                "/agent/register",
                new Registration(t.token(), name, Version.VERSION, Version.AGENT_PROTOCOL, facts),
                Registration.Accepted.class);
    return OceanClient.withAuthorization(server.url(), "Bearer " + accepted.credential())
        .withHeader("Ocean-Agent-Protocol", String.valueOf(Version.AGENT_PROTOCOL));
  }

  private OceanClient login(String email) {
    Session s =
        OceanClient.forUser(server.url(), null)
            .post("/auth/login", new Credentials(email, PASSWORD), Session.class);
    OceanClient client = OceanClient.forUser(server.url(), s.token());
    tokens.put(client, s.token());
    return client;
  }

  private OceanClient signup(String email) {
    OceanClient.forUser(server.url(), null)
        .post("/auth/signup", new Credentials(email, PASSWORD), Object.class);
    return login(email);
  }

  /** A started instance: what the instance service stores, and its run as the agent got it. */
  record Started(long id, Assignment run) {}

  /** Ada's instance {@code name}, running since now. */
  Started instance(String name) {
    Job job =
        ada.post(
            "/jobs",
            new Job.Submit(
                name, "g1", "busybox", null, List.of("sleep", "inf"), Map.of(), 1, 1, null, null),
            Job.class);
    Assignment run = startNext(job.id());
    long id =
        jdbi.withHandle(
            h -> {
              h.createUpdate("UPDATE jobs SET kind = 'instance' WHERE id = ?")
                  .bind(0, job.id())
                  .execute();
              return h.createUpdate(
                      "INSERT INTO instances (user_id, name, job_id, state, created_at,"
                          + " started_at) SELECT user_id, ?, id, 'running', ?, ? FROM jobs WHERE"
                          + " id = ?")
                  .bind(0, name)
                  .bind(1, clock.millis())
                  .bind(2, clock.millis())
                  .bind(3, job.id())
                  .executeAndReturnGeneratedKeys("id")
                  .mapTo(Long.class)
                  .one();
            });
    return new Started(id, run);
  }

  /** The agent takes job {@code jobId}'s run and reports it running. */
  Assignment startNext(long jobId) {
    Assignment a = null;
    for (int i = 0; i < 20 && a == null; i++) {
      a = poll().start().stream().filter(x -> x.jobId() == jobId).findFirst().orElse(null);
    }
    if (a == null) {
      throw new AssertionError("job " + jobId + " was not assigned");
    }
    known.add(a.runId());
    node.post(
        "/agent/runs/" + a.runId() + "/status",
        new RunReport("running", null, null, null, null),
        LogAck.class);
    return a;
  }

  /** The agent's poll, naming the runs it has. */
  Work poll() {
    return node.get("/agent/work?wait=1&known=" + String.join(",", known), Work.class);
  }

  /** Moves the clock, then the node reports its GPUs ({@link #utilisation}). */
  void advance(Duration d) {
    clock.advance(d);
    beat();
  }

  void beat() {
    beat(node, List.of());
  }

  /**
   * {@code agent} heartbeats with GPU readings ({@link #utilisation}) and the runs whose containers
   * saw traffic ({@code activeRuns}).
   */
  void beat(OceanClient agent, List<String> activeRuns) {
    List<GpuSample> gpus =
        IntStream.range(0, GPUS)
            .mapToObj(
                i ->
                    new GpuSample(
                        i,
                        "GPU-" + i,
                        utilisation.getOrDefault(i, 0),
                        0,
                        1024,
                        81559,
                        40,
                        80.0,
                        700.0,
                        List.of(),
                        null))
            .toList();
    NodeMetrics m =
        new NodeMetrics(clock.millis(), 1.0, 0.1, 0.1, 0.1, 1L << 30, 64L << 30, 0L, 0L, gpus);
    agent.post("/agent/heartbeat", new Heartbeat(m, null, activeRuns), Map.class);
  }

  @Override
  public void close() {
    server.close();
  }
}
