package dev.ocean.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuSample;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/** Drives the real {@link NvidiaSmiGpuSource} against the fake nvidia-smi on {@code PATH}. */
class NvidiaSmiGpuSourceTest {

  static final List<String> FIXTURES = FakeNvidiaSmi.WORKING_FIXTURES;

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void sampleMatchesTheFixture(String fixture) throws Exception {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env(fixture));

    List<GpuSample> samples = source.sample();

    assertEquals(
        NvidiaSmiParser.parseSamples(
            FakeNvidiaSmi.read(fixture, "gpus.csv"), FakeNvidiaSmi.read(fixture, "apps.csv")),
        samples);
    assertEquals(Optional.empty(), source.problem());
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void detectMatchesTheFixture(String fixture) throws Exception {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env(fixture));

    assertEquals(
        NvidiaSmiParser.parseInfos(FakeNvidiaSmi.read(fixture, "gpus.csv")), source.detect());
    assertEquals(Optional.empty(), source.problem());
  }

  @Test
  void h100NodeHasEightH100sWithProcessesOnBusyOnes() {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env("h100x8"));

    List<GpuInfo> gpus = source.detect();
    List<GpuSample> samples = source.sample();

    assertEquals(8, gpus.size());
    assertTrue(gpus.stream().allMatch(g -> g.name().equals("NVIDIA H100 80GB HBM3")));
    assertTrue(gpus.stream().allMatch(g -> g.memoryTotalMib() == 81559));
    assertEquals(
        List.of(1, 1, 1, 1, 0, 2, 0, 0), samples.stream().map(s -> s.processes().size()).toList());
  }

  @Test
  void a100PowerReportedAsNaIsUnknownThroughTheRealTool() {
    GpuSample gpu2 = new NvidiaSmiGpuSource(FakeNvidiaSmi.env("a100x4")).sample().get(2);

    assertEquals(null, gpu2.powerDrawW());
    assertEquals(null, gpu2.powerLimitW());
    assertEquals(40960, gpu2.memoryTotalMib());
  }

  @Test
  void noNvidiaSmiOnPathMeansNoGpus(@TempDir Path emptyDir) {
    var source = new NvidiaSmiGpuSource(Map.of("PATH", emptyDir.toString()));

    assertEquals(List.of(), source.detect());
    assertEquals(List.of(), source.sample());
    assertEquals(Optional.of("nvidia-smi not found on PATH"), source.problem());
    assertEquals(Optional.empty(), source.executable());
  }

  @Test
  void noPathAtAllMeansNoGpus() {
    var source = new NvidiaSmiGpuSource(Map.of());

    assertEquals(List.of(), source.detect());
    assertEquals(Optional.of("nvidia-smi not found on PATH"), source.problem());
  }

  @Test
  void relativePathEntriesAreNotSearched() {
    Path relative = Path.of("").toAbsolutePath().relativize(FakeNvidiaSmi.binDir());
    Map<String, String> env = FakeNvidiaSmi.env("h100x8");
    env.put("PATH", relative + ":");

    assertEquals(Optional.empty(), new NvidiaSmiGpuSource(env).executable());
  }

  @Test
  void outputCapturedOnARealH200ParsesToItsGpuAndTheProcessOnIt() {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env("h200x1"));

    List<GpuInfo> gpus = source.detect();
    assertEquals(1, gpus.size());
    assertEquals("NVIDIA H200", gpus.getFirst().name());
    assertEquals(143771, gpus.getFirst().memoryTotalMib());
    var sample = source.sample().getFirst();
    assertEquals(8811, sample.memoryUsedMib());
    assertEquals(108.09, sample.powerDrawW());
    assertEquals(700.0, sample.powerLimitW());
    assertEquals(1, sample.processes().size());
    assertEquals(446, sample.processes().getFirst().pid());
    assertEquals(8802, sample.processes().getFirst().usedMemoryMib());
    assertEquals("/opt/torch/.venv/bin/python3", sample.processes().getFirst().processName());
    assertEquals(Optional.empty(), source.problem());
  }

  @Test
  void firstNvidiaSmiOnPathIsUsed(@TempDir Path emptyDir) {
    Map<String, String> env = FakeNvidiaSmi.env("rtx4090");
    env.put("PATH", emptyDir + ":" + FakeNvidiaSmi.binDir() + ":" + System.getenv("PATH"));

    var source = new NvidiaSmiGpuSource(env);

    assertEquals(Optional.of(FakeNvidiaSmi.binDir().resolve("nvidia-smi")), source.executable());
    assertEquals(1, source.detect().size());
  }

  @Test
  void driverFailureMeansNoGpusWithTheToolsExplanation() {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env("nodriver"));

    assertEquals(List.of(), source.detect());
    assertEquals(List.of(), source.sample());
    String problem = source.problem().orElseThrow();
    assertTrue(problem.startsWith("nvidia-smi exited with status 9: "), problem);
    assertTrue(problem.contains("couldn't communicate with the NVIDIA driver"), problem);
  }

  @Test
  void hungNvidiaSmiIsKilledAfterTheTimeout() throws Exception {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env("hang"), Duration.ofMillis(300));

    long start = System.nanoTime();
    List<GpuInfo> gpus = source.detect();
    Duration took = Duration.ofNanos(System.nanoTime() - start);

    assertEquals(List.of(), gpus);
    assertEquals(Optional.of("nvidia-smi did not answer within 300 ms"), source.problem());
    assertTrue(took.compareTo(Duration.ofSeconds(3)) < 0, "took " + took);
    assertNoChildProcessLeft();
  }

  @Test
  void problemClearsOnceNvidiaSmiAnswersAgain(@TempDir Path fixture) throws Exception {
    Map<String, String> env = FakeNvidiaSmi.env("rtx4090");
    env.put("FAKE_NVIDIA_SMI_FIXTURE", fixture.toString());
    Path nodriver = FakeNvidiaSmi.fixture("nodriver");
    Files.copy(nodriver.resolve("exit-status"), fixture.resolve("exit-status"));
    Files.copy(nodriver.resolve("stdout.txt"), fixture.resolve("stdout.txt"));
    var source = new NvidiaSmiGpuSource(env);
    assertEquals(List.of(), source.detect());
    assertTrue(source.problem().isPresent());

    // The driver comes back, e.g. after a reboot of the module.
    Files.delete(fixture.resolve("exit-status"));
    for (String file : List.of("gpus.csv", "apps.csv")) {
      Files.copy(FakeNvidiaSmi.fixture("rtx4090").resolve(file), fixture.resolve(file));
    }

    assertEquals(1, source.detect().size());
    assertEquals(Optional.empty(), source.problem());
  }

  private static void assertNoChildProcessLeft() throws InterruptedException {
    long deadline = System.nanoTime() + Duration.ofSeconds(5).toNanos();
    while (ProcessHandle.current().children().anyMatch(ProcessHandle::isAlive)) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("nvidia-smi still running after the timeout");
      }
      Thread.sleep(20);
    }
  }
}
