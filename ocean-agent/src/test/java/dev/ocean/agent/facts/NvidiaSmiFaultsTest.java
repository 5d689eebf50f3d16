package dev.ocean.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuSample;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * nvidia-smi under faults, through the real {@link NvidiaSmiGpuSource} and the fake nvidia-smi: a
 * GPU that fell off the bus, a warning line with commas, a process query that fails.
 */
class NvidiaSmiFaultsTest {
  private static final String LOST_MESSAGE =
      "Unable to determine the device handle for GPU0000:81:00.0: Unknown Error";

  @Test
  void gpuFallenOffTheBusLeavesTheOthersUsableAndIsReportedBroken() {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env("a100x4-gpu-lost"));

    List<GpuInfo> gpus = source.detect();

    assertEquals(List.of(0, 1, 2, 3), gpus.stream().map(GpuInfo::index).toList());
    assertEquals(LOST_MESSAGE, gpus.get(2).problem());
    assertNull(gpus.get(2).uuid());
    for (int i : List.of(0, 1, 3)) {
      assertNull(gpus.get(i).problem(), "GPU " + i);
      assertEquals("NVIDIA A100-SXM4-40GB", gpus.get(i).name());
    }
    assertTrue(source.problem().orElseThrow().contains("exited with status 15"));
  }

  @Test
  void samplesOfALostGpuCarryItsProblemAndTheOthersTheirReadings() {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env("a100x4-gpu-lost"));

    List<GpuSample> samples = source.sample();

    assertEquals(4, samples.size());
    assertEquals(LOST_MESSAGE, samples.get(2).problem());
    assertEquals(100, samples.get(0).utilisationGpu());
    assertEquals(1, samples.get(0).processes().size());
    assertNull(samples.get(0).problem());
  }

  @Test
  void warningLineWithCommasIsNeverAGpu() {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env("warning-exit0"));

    assertEquals(2, source.detect().size());
    assertEquals(2, source.sample().size());
    assertTrue(source.detect().stream().allMatch(g -> g.problem() == null));
  }

  @Test
  void failedProcessQueryIsReportedInsteadOfShowingIdleGpus() {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env("apps-fail"));

    List<GpuSample> samples = source.sample();

    assertEquals(2, samples.size());
    for (GpuSample s : samples) {
      assertTrue(s.problem().startsWith("GPU processes unknown: nvidia-smi exited with status 15"));
      assertTrue(s.problem().contains(LOST_MESSAGE), s.problem());
    }
  }

  @Test
  void parserKeepsMessagesApartFromRows() {
    String csv =
        LOST_MESSAGE
            + "\n0, GPU-a, A100, 40960\n[Unknown Error], [Unknown Error], [Unknown Error],"
            + " [Unknown Error]\nWARNING: infoROM, corrupted, at, 0000:3B:00.0\n";

    List<GpuInfo> gpus = NvidiaSmiParser.parseInfos(csv);

    assertEquals(2, gpus.size());
    assertEquals(1, gpus.get(1).index());
    assertEquals(LOST_MESSAGE, gpus.get(1).problem());
    assertEquals(2, NvidiaSmiParser.messages(csv).size());
  }

  @Test
  void aGpuWithMoreProcessesThanAHeartbeatCarriesReportsTheFirst256() {
    var source = new NvidiaSmiGpuSource(FakeNvidiaSmi.env("busy300"));

    assertEquals(256, source.sample().getFirst().processes().size());
  }
}
