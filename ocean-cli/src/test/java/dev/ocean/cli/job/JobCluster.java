package dev.ocean.cli.job;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.node.Poll;
import dev.ocean.common.api.User;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.node.Node;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A cluster for job tests: a server (in this JVM, or any at {@code url}), one agent as an OS
 * process with the process runtime on the server's volume storage, machine types that fit a small
 * test machine ({@code cpu1}: 1 CPU, {@code cpu2}: 2 CPUs; 1 GiB, no GPU), the image {@code host}
 * (ignored by the process runtime), and two users: ada with quota for 4 {@code cpu1} and 1 {@code
 * cpu2}, and bob with none.
 */
final class JobCluster implements AutoCloseable {
  static final String ADMIN = "admin@ocean.test";
  static final String PASSWORD = "Sea-Sh3ll!s";
  static final String NODE = "node1";
  static final Duration JOIN = Duration.ofSeconds(90);
  static final TypeReference<List<Job>> JOBS = new TypeReference<>() {};

  final Path dir;
  final String url;
  final Path storage;
  final JavaProcesses processes;
  final Person admin;
  final Person ada;
  final Person bob;
  private final AutoCloseable server;

  private JobCluster(
      Path dir, JavaProcesses processes, String url, Path storage, AutoCloseable server) {
    this.dir = dir;
    this.url = url;
    this.storage = storage;
    this.server = server;
    this.processes = processes;
    admin = new Person(ADMIN, dir.resolve("people/admin"), url).login(PASSWORD);
    ada = new Person("ada@ocean.test", dir.resolve("people/ada"), url).signup(PASSWORD);
    bob = new Person("bob@ocean.test", dir.resolve("people/bob"), url).signup(PASSWORD);
  }

  /** A server in this JVM on port 0 with its data in {@code dir/data}. */
  static JobCluster inProcess(Path dir) {
    Path data = dir.resolve("data");
    OceanServer server;
    try {
      server =
          OceanServer.start(
              new ServerConfig(data)
                  .host("127.0.0.1")
                  .port(0)
                  .bcryptCost(4)
                  .heartbeatSeconds(1)
                  .adminEmail(ADMIN)
                  .adminPassword(PASSWORD),
              new PrintStream(new ByteArrayOutputStream()));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new JobCluster(
            dir,
            new JavaProcesses(dir.resolve("logs")),
            server.url(),
            data.resolve("storage"),
            server::close)
        .setUp();
  }

  /**
   * A cluster around a server that runs elsewhere, at {@code url}; its agent is started with {@code
   * processes}, which the cluster closes.
   */
  static JobCluster at(Path dir, JavaProcesses processes, String url, Path storage) {
    return new JobCluster(dir, processes, url, storage, () -> {}).setUp();
  }

  private JobCluster setUp() {
    admin
        .ocean(
            "admin",
            "machine-type",
            "create",
            "cpu1",
            "--cpus",
            "1",
            "--memory",
            "1",
            "--gpus",
            "0")
        .ok();
    admin
        .ocean(
            "admin",
            "machine-type",
            "create",
            "cpu2",
            "--cpus",
            "2",
            "--memory",
            "1",
            "--gpus",
            "0")
        .ok();
    admin.ocean("admin", "image", "add", "host", "host").ok();
    grant(ada, "cpu1", 4);
    grant(ada, "cpu2", 1);
    try {
      startAgent();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return this;
  }

  void grant(Person who, String machineType, int count) {
    admin
        .ocean(
            "admin",
            "quota",
            "grant",
            who.email,
            "--machine-type",
            machineType,
            "--count",
            String.valueOf(count),
            "--days",
            "1")
        .ok();
  }

  /**
   * Defines machine type {@code whole}, as many CPUs as the node has, and grants ada 2 of it: one
   * such run fills the node and the next waits.
   */
  String wholeNodeType() {
    int cpus =
        admin.ocean("node", "list", "-o", "json").json(new TypeReference<List<Node>>() {}).stream()
            .filter(n -> n.name().equals(NODE))
            .findFirst()
            .orElseThrow()
            .cpus();
    admin
        .ocean(
            "admin",
            "machine-type",
            "create",
            "whole",
            "--cpus",
            String.valueOf(cpus),
            "--memory",
            "1",
            "--gpus",
            "0")
        .ok();
    grant(ada, "whole", 2);
    return "whole";
  }

  /** Joins the one agent and waits until its node is ready. */
  private void startAgent() throws IOException {
    String token = admin.ocean("admin", "node", "token", "--ttl", "1h", "-q").ok().out().strip();
    processes.start(
        "agent",
        Map.of(),
        "dev.ocean.agent.Main",
        "join",
        "--server",
        url,
        "--token",
        token,
        "--name",
        NODE,
        "--state-dir",
        dir.resolve("agent").toString(),
        "--runtime",
        "process",
        "--run-as",
        System.getProperty("user.name"),
        "--storage",
        storage.toString(),
        "--heartbeat",
        "1");
    Poll.check(JOIN, "the agent's node is ready; agent log:\n" + agentLog(), () -> nodeReady());
  }

  private boolean nodeReady() {
    List<Node> nodes =
        admin.ocean("node", "list", "-o", "json").json(new TypeReference<List<Node>>() {});
    return nodes.stream().anyMatch(n -> n.name().equals(NODE) && n.state().equals("ready"));
  }

  String agentLog() {
    return processes.log("agent");
  }

  /**
   * Ada submits {@code ocean job submit --name NAME --machine-type TYPE --image host OPTIONS... --
   * CMD...}; {@code args} holds the options, {@code --} and the command. Returns the job id.
   */
  long submit(String name, String machineType, String... args) {
    List<String> argv =
        new ArrayList<>(
            List.of(
                "job",
                "submit",
                "-q",
                "--name",
                name,
                "--machine-type",
                machineType,
                "--image",
                "host"));
    argv.addAll(List.of(args));
    return Long.parseLong(ada.ocean(argv.toArray(String[]::new)).ok().out().strip());
  }

  /**
   * Ada's job "long" on cpu1 printing {@code tick 0}, {@code tick 1}, ... every 0.2 s: it never
   * ends by itself, so only a cancel (or what the test does to its follower) ends anything.
   */
  long submitTicker() {
    return submit(
        "long",
        "cpu1",
        "--",
        "sh",
        "-c",
        "i=0; while :; do echo tick $i; i=$((i+1)); sleep 0.2; done");
  }

  /** Ada's job as the API shows it. */
  Job job(long id) {
    return ada.ocean("job", "get", String.valueOf(id), "-o", "json").json(Job.class);
  }

  /** Waits until ada's job {@code id} satisfies {@code done}, e.g. it has a running run. */
  Job awaitJob(long id, String what, Predicate<Job> done) {
    return Poll.until(
        Duration.ofSeconds(60),
        "job " + id + " " + what + "; agent log:\n" + agentLog(),
        () -> {
          Job j = job(id);
          return done.test(j) ? j : null;
        });
  }

  /** Ada's volume directory on the storage root. */
  Path volumeDir(String name) {
    long userId =
        admin
            .ocean("admin", "user", "list", "-o", "json")
            .json(new TypeReference<List<User>>() {})
            .stream()
            .filter(u -> u.email().equals(ada.email))
            .findFirst()
            .orElseThrow()
            .id();
    return storage.resolve("volumes").resolve(String.valueOf(userId)).resolve(name);
  }

  @Override
  public void close() throws Exception {
    processes.close();
    server.close();
  }
}
