package dev.ocean.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.node.DiskInfo;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class NodeFingerprintTest {

  private static final NodeFacts HOST =
      new NodeFacts(
          "gpu01",
          "Ubuntu 22.04.4 LTS",
          "amd64",
          "AMD EPYC 7763 64-Core Processor",
          128,
          1_081_997_402_112L,
          List.of(new DiskInfo("/", 1_920_383_410_176L, 1_310_000_000_000L)),
          List.of(),
          null);
  private static final NodeMetrics HOST_SAMPLE =
      new NodeMetrics(
          1_748_779_200_000L, 42.5, 12.1, 11.8, 10.9, 500L, 1000L, 123L, 456L, List.of());

  /** A host whose facts are fixed, so these tests only depend on the GPU side. */
  private static final HostSource FIXED_HOST =
      new HostSource() {
        @Override
        public NodeFacts facts() {
          return HOST;
        }

        @Override
        public NodeMetrics sample() {
          return HOST_SAMPLE;
        }
      };

  @Test
  void factsCombineHostAndGpus() {
    var fingerprint =
        new NodeFingerprint(FIXED_HOST, new NvidiaSmiGpuSource(FakeNvidiaSmi.env("h100x8")));

    NodeFacts facts = fingerprint.facts();

    assertEquals(HOST, facts.withGpus(List.of()));
    assertEquals(8, facts.gpus().size());
    assertEquals("NVIDIA H100 80GB HBM3", facts.gpus().get(0).name());
  }

  @Test
  void metricsCombineHostSampleAndGpuSamples() {
    var fingerprint =
        new NodeFingerprint(FIXED_HOST, new NvidiaSmiGpuSource(FakeNvidiaSmi.env("a100x4")));

    NodeMetrics metrics = fingerprint.metrics();

    assertEquals(HOST_SAMPLE, metrics.withGpus(List.of()));
    assertEquals(4, metrics.gpus().size());
    assertEquals(2, metrics.gpus().get(0).processes().size());
  }

  @Test
  void reportListsEveryGpu() {
    var fingerprint =
        new NodeFingerprint(FIXED_HOST, new NvidiaSmiGpuSource(FakeNvidiaSmi.env("a100x4")));

    String report = fingerprint.report();

    assertTrue(report.contains("gpus     4\n"), report);
    assertTrue(
        report.contains(
            "  2  NVIDIA A100-SXM4-40GB  40960 MiB  GPU-670efce7-1b46-414a-88c5-08b020db9546\n"),
        report);
  }

  @Test
  void reportSaysWhyThereAreNoGpus(@TempDir Path emptyDir) {
    var fingerprint =
        new NodeFingerprint(
            FIXED_HOST, new NvidiaSmiGpuSource(Map.of("PATH", emptyDir.toString())));

    String report = fingerprint.report();

    assertTrue(
        report.endsWith("gpus     no NVIDIA GPUs detected (nvidia-smi not found on PATH)\n"),
        report);
    assertEquals("nvidia-smi not found on PATH", fingerprint.gpuProblem().orElseThrow());
  }

  @Test
  void thisMachineWithoutNvidiaSmiIsACpuNode(@TempDir Path emptyDir) {
    var fingerprint = NodeFingerprint.ofThisMachine(Map.of("PATH", emptyDir.toString()));

    NodeFacts facts = fingerprint.facts();
    NodeMetrics metrics = fingerprint.metrics();

    assertTrue(facts.cpuCores() >= 1);
    assertEquals(List.of(), facts.gpus());
    assertEquals(List.of(), metrics.gpus());
  }
}
