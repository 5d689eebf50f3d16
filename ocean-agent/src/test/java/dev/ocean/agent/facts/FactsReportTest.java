package dev.ocean.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.node.DiskInfo;
import dev.ocean.common.api.node.GpuInfo;
import dev.ocean.common.api.node.NodeFacts;
import java.util.List;
import org.junit.jupiter.api.Test;

class FactsReportTest {

  private static final NodeFacts HOST =
      new NodeFacts(
          "gpu01",
          "Ubuntu 22.04.4 LTS",
          "amd64",
          "AMD EPYC 7763 64-Core Processor",
          128,
          1_081_997_402_112L,
          List.of(
              new DiskInfo("/", 1_920_383_410_176L, 1_310_000_000_000L),
              new DiskInfo("/scratch", 7_681_501_126_656L, null)),
          List.of(),
          null);

  @Test
  void rendersHostThenOneAlignedLinePerGpu() {
    List<GpuInfo> gpus = new java.util.ArrayList<>();
    for (int i = 0; i < 11; i++) {
      gpus.add(new GpuInfo(i, "GPU-" + i, "NVIDIA H100 80GB HBM3", 81559, null));
    }
    gpus.set(10, new GpuInfo(10, null, null, null, null));

    String text = FactsReport.render(HOST.withGpus(gpus));

    assertEquals(
        """
        host     gpu01
        os       Ubuntu 22.04.4 LTS (amd64)
        cpus     128 (AMD EPYC 7763 64-Core Processor)
        memory   1007.7 GiB
        disk     /         1.7 TiB, 1.2 TiB free
        disk     /scratch  7.0 TiB, unknown free
        gpus     11
           0  NVIDIA H100 80GB HBM3  81559 MiB  GPU-0
        """,
        text.lines().limit(8).map(l -> l + "\n").reduce("", String::concat));
    assertEquals(
        "  10  unknown                  unknown  unknown", text.lines().toList().getLast());
  }

  @Test
  void noGpusSaysWhy() {
    assertEquals(
        "gpus     no NVIDIA GPUs detected (nvidia-smi not found on PATH)",
        FactsReport.render(HOST, "nvidia-smi not found on PATH").lines().toList().getLast());
    assertEquals(
        "gpus     no NVIDIA GPUs detected", FactsReport.render(HOST).lines().toList().getLast());
  }

  @Test
  void unknownHostValuesAreShownAsUnknown() {
    NodeFacts nothing = new NodeFacts(null, null, null, null, null, null, null, null, null);

    assertEquals(
        """
        host     unknown
        os       unknown
        cpus     unknown
        memory   unknown
        gpus     no NVIDIA GPUs detected
        """,
        FactsReport.render(nothing));
  }

  @Test
  void bytesUseBinaryUnits() {
    assertEquals("512 B", FactsReport.bytes(512L));
    assertEquals("1.5 KiB", FactsReport.bytes(1536L));
    assertEquals("80.0 GiB", FactsReport.bytes(80L << 30));
  }
}
