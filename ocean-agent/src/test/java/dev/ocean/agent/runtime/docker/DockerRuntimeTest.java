package dev.ocean.agent.runtime.docker;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.AdoptedRun;
import dev.ocean.agent.runtime.RunHandle;
import dev.ocean.agent.runtime.RunRuntimeException;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.agent.runtime.SpoolLogSink;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class DockerRuntimeTest {

  private PodmanFixture podman;
  private final List<DockerRuntime> runtimes = new ArrayList<>();
  private String agent;
  @TempDir Path spool;
  @TempDir Path volume;

  @BeforeAll
  void startPodman() throws Exception {
    podman = PodmanFixture.start();
  }

  @AfterAll
  void stopPodman() throws Exception {
    if (podman != null) {
      podman.close();
    }
  }

  @BeforeEach
  void newAgent() {
    agent = "agent-" + UUID.randomUUID().toString().substring(0, 8);
  }

  @AfterEach
  void closeRuntimes() {
    runtimes.forEach(DockerRuntime::close);
    runtimes.clear();
  }

  @Test
  void probeOfARealEngineSaysItWorksAndHowGpusReachContainers() {
    var health = runtime().probe();

    assertEquals(null, health.problem());
    assertEquals("docker", health.kind());
    // this machine has no NVIDIA runtime; an engine that lists one would say nvidia-runtime
    assertTrue(
        java.util.Set.of("none", "cdi", "nvidia-runtime").contains(health.gpuHandoff()),
        health.gpuHandoff());
  }

  @Test
  void gpuRunOnAnEngineThatCannotHandOverGpusFailsWithTheReason() throws Exception {
    DockerRuntime runtime = runtime();
    org.junit.jupiter.api.Assumptions.assumeTrue("none".equals(runtime.probe().gpuHandoff()));
    RunSpec spec = spec("9-0", "true").withGpus(List.of(0));

    var e =
        org.junit.jupiter.api.Assertions.assertThrows(
            dev.ocean.agent.runtime.RunRuntimeException.class,
            () -> runtime.start(spec, sink("9-0")));

    assertTrue(e.getMessage().contains("cannot hand GPUs to containers"), e.getMessage());
  }

  @Test
  void exitCodesZeroAndThreeAreReported() throws Exception {
    DockerRuntime runtime = runtime();
    assertEquals(0, runtime.start(spec("1-0", "true"), sink("1-0")).await());
    assertEquals(3, runtime.start(spec("1-1", "sh", "-c", "exit 3"), sink("1-1")).await());
  }

  @Test
  void runSeesJobVariablesNoGpuAndItsLimits() throws Exception {
    DockerRuntime runtime = runtime();
    String script =
        "echo job=$OCEAN_JOB_ID run=$OCEAN_RUN_INDEX gpus=${NVIDIA_VISIBLE_DEVICES-unset}; ulimit -n";
    RunSpec spec = spec("2-0", "sh", "-c", script).withLimits(0.5, 64);
    assertEquals(0, runtime.start(spec, sink("2-0")).await());
    assertEquals("job=42 run=0 gpus=void\n4096\n", spooled("2-0"));
    try (var engine = DockerEngineClient.unixSocket(podman.socket())) {
      var hostConfig =
          engine.inspect(runtime.containerName("2-0")).orElseThrow().path("HostConfig");
      assertEquals(64L * 1024 * 1024, hostConfig.path("Memory").asLong());
      assertEquals(500_000_000L, hostConfig.path("NanoCpus").asLong());
    }
  }

  @Test
  void volumeIsSharedBothWaysAndIsTheWorkingDirectory() throws Exception {
    Files.writeString(volume.resolve("from-host.txt"), "hello from host\n");
    String script = "cat /home/linuxbrew/from-host.txt; pwd; echo hello from container > back.txt";
    RunSpec spec = spec("3-0", "sh", "-c", script).withVolumeDir(volume);
    assertEquals(0, runtime().start(spec, sink("3-0")).await());
    assertEquals("hello from host\n/home/linuxbrew\n", spooled("3-0"));
    assertEquals("hello from container\n", Files.readString(volume.resolve("back.txt")));
  }

  @Test
  void aJobsContainerReachesNoServiceOnTheNodesLoopbackAndItsHomeIsTheVolume() throws Exception {
    // a service bound to this machine's loopback, as a user's notebook or a database may be
    var seen = new java.util.concurrent.atomic.AtomicInteger();
    var http =
        com.sun.net.httpserver.HttpServer.create(
            new java.net.InetSocketAddress(java.net.InetAddress.getLoopbackAddress(), 0), 0);
    http.createContext(
        "/",
        exchange -> {
          seen.incrementAndGet();
          exchange.sendResponseHeaders(200, -1);
          exchange.close();
        });
    http.start();
    try {
      DockerRuntime runtime =
          new DockerRuntime(
              DockerEngineClient.unixSocket(podman.socket()),
              DockerOptions.defaults(agent).withLogDriver("k8s-file"));
      runtimes.add(runtime);
      int port = http.getAddress().getPort();
      String tries =
          "for u in http://10.0.2.2:%d/ http://127.0.0.1:%d/; do timeout 5 wget -qO- \"$u\""
              + " >/dev/null 2>&1 && echo \"reached $u\"; done; echo \"HOME=$HOME\"";
      RunSpec spec =
          RunSpec.of(
                  "9-0",
                  9,
                  0,
                  PodmanFixture.IMAGE,
                  List.of("sh", "-c", tries.formatted(port, port)))
              .withEnv(Map.of("OCEAN_SERVER", "http://127.0.0.1:" + port))
              .withVolumeDir(volume);
      assertEquals(0, runtime.start(spec, sink("9-0")).await(), () -> spooled("9-0"));
      assertEquals("HOME=/home/linuxbrew\n", spooled("9-0"));
      assertEquals(0, seen.get(), "no request from the job reached the node's loopback");
    } finally {
      http.stop(0);
    }
  }

  @Test
  void stdoutAndStderrBothLandInTheSpool() throws Exception {
    String script = "echo to-out; sleep 0.1; echo to-err >&2; sleep 0.1; printf no-newline";
    assertEquals(0, runtime().start(spec("4-0", "sh", "-c", script), sink("4-0")).await());
    assertEquals("to-out\nto-err\nno-newline", spooled("4-0"));
  }

  @Test
  void argvIsPassedLiterallyWithoutAShell() throws Exception {
    List<String> argv =
        List.of("printf", "%s\\n", "a b", "\"quoted\"", "$(echo injected)", "*", "it's", "");
    RunSpec spec = RunSpec.of("5-0", 42, 0, PodmanFixture.IMAGE, argv);
    assertEquals(0, runtime().start(spec, sink("5-0")).await());
    assertEquals("a b\n\"quoted\"\n$(echo injected)\n*\nit's\n\n", spooled("5-0"));
  }

  @Test
  void stopEndsASleepingContainerWithinTheGracePeriod() throws Exception {
    DockerRuntime runtime = runtime();
    RunHandle handle = runtime.start(spec("6-0", "sleep", "300"), sink("6-0"));
    long started = System.nanoTime();
    runtime.stop("6-0", Duration.ofSeconds(2));
    int exit = handle.exitCode().get(10, TimeUnit.SECONDS);
    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertTrue(took.compareTo(Duration.ofSeconds(8)) < 0, "stop took " + took);
    assertTrue(exit == 137 || exit == 143, "killed by a signal, got " + exit);
  }

  @Test
  void missingImageFailsWithAClearMessage() throws IOException {
    RunSpec spec = RunSpec.of("7-0", 7, 0, "localhost/ocean-no-such-image:1", List.of("true"));
    var error = assertThrows(RunRuntimeException.class, () -> runtime().start(spec, sink("7-0")));
    assertTrue(
        error
            .getMessage()
            .startsWith(
                "image localhost/ocean-no-such-image:1 is not present on node and could not be pulled: "),
        error.getMessage());
  }

  @Test
  void restartedAgentAdoptsARunningContainerWithoutLosingOrRepeatingOutput() throws Exception {
    String script =
        "i=0; while [ $i -lt 30 ]; do"
            + "  [ $i = 10 ] && until [ -e go1 ]; do sleep 0.05; done;"
            + "  [ $i = 20 ] && { touch printed-19; until [ -e go2 ]; do sleep 0.05; done; };"
            + "  echo line $i; i=$((i+1));"
            + " done; exit 5";
    RunSpec spec = spec("8-0", "sh", "-c", script).withVolumeDir(volume);
    DockerRuntime before = runtime();
    before.start(spec, sink("8-0"));
    poll(Duration.ofSeconds(30), "ten lines spooled", () -> spooled("8-0").contains("line 9\n"));
    before.close(); // the agent goes down; the container runs on

    Files.createFile(volume.resolve("go1")); // lines 10..19 are written while nobody follows
    poll(
        Duration.ofSeconds(30),
        "lines 10..19 written",
        () -> Files.exists(volume.resolve("printed-19")));
    List<AdoptedRun> adopted = runtime().recover(this::sink);
    assertEquals(1, adopted.size());
    AdoptedRun run = adopted.getFirst();
    assertEquals(
        List.of("8-0", 42L, 0, true),
        List.of(run.runId(), run.jobId(), run.runIndex(), run.running()));
    Files.createFile(volume.resolve("go2"));

    assertEquals(5, run.handle().await());
    String expected =
        IntStream.range(0, 30).mapToObj(i -> "line " + i + "\n").collect(Collectors.joining());
    assertEquals(expected, spooled("8-0"));
  }

  @Test
  void containerThatExitedWhileTheAgentWasDownIsReportedWithItsExitCode() throws Exception {
    String script = "echo before; until [ -e go ]; do sleep 0.05; done; echo after; exit 7";
    RunSpec spec = spec("9-3", "sh", "-c", script).withVolumeDir(volume);
    DockerRuntime before = runtime();
    before.start(spec, sink("9-3"));
    poll(Duration.ofSeconds(30), "first line spooled", () -> spooled("9-3").equals("before\n"));
    before.close();

    Files.createFile(volume.resolve("go"));
    try (var engine = DockerEngineClient.unixSocket(podman.socket())) {
      String name = before.containerName("9-3");
      poll(Duration.ofSeconds(30), "container exited", () -> !running(engine, name));
      DockerRuntime after = runtime();
      List<AdoptedRun> adopted = after.recover(this::sink);
      assertEquals(1, adopted.size());
      assertFalse(adopted.getFirst().running());
      assertEquals(7, adopted.getFirst().exitCodeIfEnded());
      assertEquals("before\nafter\n", spooled("9-3"));

      after.remove("9-3");
      assertTrue(engine.inspect(name).isEmpty(), "container removed");
      assertTrue(after.recover(this::sink).isEmpty());
    }
  }

  private DockerRuntime runtime() {
    DockerOptions options =
        DockerOptions.defaults(agent).withNetworkMode("host").withLogDriver("k8s-file");
    DockerRuntime runtime =
        new DockerRuntime(DockerEngineClient.unixSocket(podman.socket()), options);
    runtimes.add(runtime);
    return runtime;
  }

  private static RunSpec spec(String runId, String... argv) {
    return RunSpec.of(runId, 42, 0, PodmanFixture.IMAGE, List.of(argv))
        .withEnv(Map.of("OCEAN_JOB_ID", "42", "OCEAN_RUN_INDEX", "0"));
  }

  private SpoolLogSink sink(String runId) {
    try {
      return SpoolLogSink.open(spool, runId);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String spooled(String runId) {
    try {
      Path file = SpoolLogSink.fileOf(spool, runId);
      return Files.exists(file) ? Files.readString(file) : "";
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static boolean running(DockerEngineClient engine, String name) {
    try {
      return engine.inspect(name).orElseThrow().path("State").path("Running").asBoolean();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
