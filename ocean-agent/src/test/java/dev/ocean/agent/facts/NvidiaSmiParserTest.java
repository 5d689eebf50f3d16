package dev.ocean.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.GpuProcess;
import dev.ocean.common.api.node.GpuSample;
import java.io.IOException;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class NvidiaSmiParserTest {

  private static List<GpuSample> samples(String fixture) throws IOException {
    return NvidiaSmiParser.parseSamples(
        FakeNvidiaSmi.read(fixture, "gpus.csv"), FakeNvidiaSmi.read(fixture, "apps.csv"));
  }

  @Test
  void h100EveryValueOfABusyGpuIsRead() throws IOException {
    List<GpuSample> gpus = samples("h100x8");

    assertEquals(8, gpus.size());
    assertEquals(
        new GpuSample(
            0,
            "GPU-f161e74c-29bc-4664-80bf-c647fe227959",
            98,
            61,
            71234,
            81559,
            67,
            612.45,
            700.0,
            List.of(new GpuProcess(48211, "/usr/bin/python3", 70712)),
            null),
        gpus.get(0));
  }

  @Test
  void h100ProcessesAreAttachedToTheirGpuByUuid() throws IOException {
    List<GpuSample> gpus = samples("h100x8");

    assertEquals(List.of(0, 1, 2, 3, 4, 5, 6, 7), gpus.stream().map(GpuSample::index).toList());
    assertEquals(
        List.of(
            new GpuProcess(51377, "/opt/conda/bin/python", 40446),
            new GpuProcess(52019, "python", 2818)),
        gpus.get(5).processes());
    for (int idle : List.of(4, 6, 7)) {
      assertEquals(List.of(), gpus.get(idle).processes(), "GPU " + idle);
      assertEquals(0, gpus.get(idle).utilisationGpu());
      assertEquals(1, gpus.get(idle).memoryUsedMib());
    }
    assertEquals(68.93, gpus.get(6).powerDrawW());
  }

  @Test
  void h100InfosCarryModelMemoryAndUuid() throws IOException {
    List<GpuInfo> gpus = NvidiaSmiParser.parseInfos(FakeNvidiaSmi.read("h100x8", "gpus.csv"));

    assertEquals(8, gpus.size());
    assertEquals(
        new GpuInfo(
            7, "GPU-27569a4d-69ab-43d7-91a7-0d574cc00be6", "NVIDIA H100 80GB HBM3", 81559, null),
        gpus.get(7));
  }

  @Test
  void a100PowerReportedAsNaBecomesUnknown() throws IOException {
    GpuSample gpu2 = samples("a100x4").get(2);

    assertNull(gpu2.powerDrawW());
    assertNull(gpu2.powerLimitW());
    assertEquals("GPU-670efce7-1b46-414a-88c5-08b020db9546", gpu2.uuid());
    assertEquals(40960, gpu2.memoryTotalMib());
    assertEquals(4, gpu2.memoryUsedMib());
    assertEquals(35, gpu2.temperatureC());
    assertEquals(0, gpu2.utilisationGpu());
    assertEquals(0, gpu2.utilisationMemory());
  }

  @Test
  void a100OtherGpusStillReportPower() throws IOException {
    List<GpuSample> gpus = samples("a100x4");

    assertEquals(287.33, gpus.get(0).powerDrawW());
    assertEquals(400.0, gpus.get(0).powerLimitW());
    assertEquals(52.87, gpus.get(3).powerDrawW());
    assertEquals(100, gpus.get(0).utilisationGpu());
    assertEquals(78, gpus.get(0).utilisationMemory());
  }

  @Test
  void a100ProcessMemoryReportedAsNaBecomesUnknown() throws IOException {
    assertEquals(
        List.of(
            new GpuProcess(7741, "/usr/bin/python3", 37688),
            new GpuProcess(7802, "/usr/bin/python3", null)),
        samples("a100x4").get(0).processes());
  }

  @Test
  void rtx4090WithoutComputeProcessesIsOneIdleGpu() throws IOException {
    List<GpuSample> gpus = samples("rtx4090");

    assertEquals(
        List.of(
            new GpuSample(
                0,
                "GPU-3b697be6-26b6-4bec-9c1c-069605a7488b",
                3,
                8,
                1318,
                24564,
                41,
                28.36,
                450.0,
                List.of(),
                null)),
        gpus);
    assertEquals(
        "NVIDIA GeForce RTX 4090",
        NvidiaSmiParser.parseInfos(FakeNvidiaSmi.read("rtx4090", "gpus.csv")).get(0).name());
  }

  @Test
  void valuesWithUnitsAndNoHeaderAreRead() {
    String csv =
        "0, GPU-f161e74c-29bc-4664-80bf-c647fe227959, NVIDIA H100 80GB HBM3, 81559 MiB, 80 MiB,"
            + " 67 %, 3 %, 34, 250.00 W, 700.00 W\n";

    GpuSample gpu = NvidiaSmiParser.parseGpus(csv).get(0);

    assertEquals(81559, gpu.memoryTotalMib());
    assertEquals(80, gpu.memoryUsedMib());
    assertEquals(67, gpu.utilisationGpu());
    assertEquals(3, gpu.utilisationMemory());
    assertEquals(34, gpu.temperatureC());
    assertEquals(250.0, gpu.powerDrawW());
    assertEquals(700.0, gpu.powerLimitW());
  }

  @Test
  void headerColumnOrderWinsOverTheExpectedOrder() {
    String csv =
        """
        power.draw [W], name, index, uuid, memory.total [MiB]
        123.45 W, NVIDIA H100 80GB HBM3, 3, GPU-3dca6c64-443b-446d-9887-2f58159ee661, 81559 MiB
        """;

    GpuSample gpu = NvidiaSmiParser.parseGpus(csv).get(0);

    assertEquals(3, gpu.index());
    assertEquals("GPU-3dca6c64-443b-446d-9887-2f58159ee661", gpu.uuid());
    assertEquals(123.45, gpu.powerDrawW());
    assertEquals(81559, gpu.memoryTotalMib());
    assertNull(gpu.temperatureC());
    assertEquals("NVIDIA H100 80GB HBM3", NvidiaSmiParser.parseInfos(csv).get(0).name());
  }

  @Test
  void appsHeaderNamingUsedGpuMemoryIsRead() {
    String csv =
        """
        gpu_uuid, pid, process_name, used_gpu_memory [MiB]
        GPU-18561eec-1a54-447f-b134-23894d6a46fa, 7741, /usr/bin/python3, 37688 MiB
        """;

    assertEquals(
        List.of(new GpuProcess(7741, "/usr/bin/python3", 37688)),
        NvidiaSmiParser.parseApps(csv).get("GPU-18561eec-1a54-447f-b134-23894d6a46fa"));
  }

  @ParameterizedTest
  @ValueSource(
      strings = {
        "[N/A]",
        "[Not Supported]",
        "N/A",
        "",
        "[Unknown Error]",
        "[Insufficient Permissions]",
        "ERR!",
        "12abc",
        "NaN",
        "1e400"
      })
  void unreadableValuesBecomeUnknown(String value) {
    String csv =
        "0, GPU-f161e74c-29bc-4664-80bf-c647fe227959, NVIDIA H100 80GB HBM3, %s, %s, %s, %s, %s, %s, %s\n"
            .formatted(value, value, value, value, value, value, value);

    GpuSample gpu = NvidiaSmiParser.parseGpus(csv).get(0);

    assertEquals(0, gpu.index());
    assertNull(gpu.memoryTotalMib());
    assertNull(gpu.memoryUsedMib());
    assertNull(gpu.utilisationGpu());
    assertNull(gpu.utilisationMemory());
    assertNull(gpu.temperatureC());
    assertNull(gpu.powerDrawW());
    assertNull(gpu.powerLimitW());
  }

  @Test
  void unknownNameAndUuidBecomeNull() {
    GpuInfo gpu =
        NvidiaSmiParser.parseInfos("0, [N/A], [Unknown Error], 81559, 1, 0, 0, 30, 70, 700\n")
            .get(0);

    assertNull(gpu.uuid());
    assertNull(gpu.name());
    assertEquals(81559, gpu.memoryTotalMib());
  }

  @Test
  void nameWithCommasKeepsTheOtherColumnsInPlace() {
    String csv = "1, GPU-abc, Some GPU, Rev 2, 40960, 4, 0, 0, 33, 54.12, 400.00\n";

    GpuInfo info = NvidiaSmiParser.parseInfos(csv).get(0);
    GpuSample sample = NvidiaSmiParser.parseGpus(csv).get(0);

    assertEquals("Some GPU, Rev 2", info.name());
    assertEquals(40960, info.memoryTotalMib());
    assertEquals(400.0, sample.powerLimitW());
    assertEquals(33, sample.temperatureC());
  }

  @Test
  void truncatedRowLeavesMissingFieldsUnknown() {
    GpuSample gpu =
        NvidiaSmiParser.parseGpus("2, GPU-670efce7-1b46-414a-88c5-08b020db9546, NVIDIA A100")
            .get(0);

    assertEquals(2, gpu.index());
    assertEquals("GPU-670efce7-1b46-414a-88c5-08b020db9546", gpu.uuid());
    assertNull(gpu.memoryTotalMib());
    assertNull(gpu.powerLimitW());
  }

  @Test
  void unreadableIndexFallsBackToRowPosition() {
    List<GpuInfo> gpus = NvidiaSmiParser.parseInfos("0, GPU-a, A, 1\n[N/A], GPU-b, B, 1\n");

    assertEquals(1, gpus.get(1).index());
  }

  @Test
  void messagesAndBlankInputGiveNoGpus() {
    assertEquals(List.of(), NvidiaSmiParser.parseGpus("No devices were found\n"));
    assertEquals(List.of(), NvidiaSmiParser.parseGpus(""));
    assertEquals(List.of(), NvidiaSmiParser.parseGpus(null));
    assertEquals(List.of(), NvidiaSmiParser.parseInfos("\n\n"));
    assertTrue(NvidiaSmiParser.parseApps("No running processes found\n").isEmpty());
  }

  @Test
  void windowsLineEndingsAreTolerated() {
    String csv = "0, GPU-a, NVIDIA H100 80GB HBM3, 81559, 1, 0, 0, 30, 70.00, 700.00\r\n";

    assertEquals(700.0, NvidiaSmiParser.parseGpus(csv).get(0).powerLimitW());
  }

  @Test
  void processOfUnknownGpuIsDropped() {
    assertTrue(NvidiaSmiParser.parseApps("[N/A], 7741, python, 100\n").isEmpty());
  }
}
