package dev.ocean.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.node.GpuSample;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.NodeMetrics;
import org.junit.jupiter.api.Test;

/** The records the agent sends survive JSON with plain field names and unknowns kept as null. */
class NodeRecordsJsonTest {

  private final ObjectMapper json = new ObjectMapper();

  @Test
  void metricsWithUnknownPowerRoundTripAsNull() throws Exception {
    NodeMetrics metrics =
        new NodeMetrics(
                1_748_779_200_000L, 12.5, 1.0, null, 0.5, 10L, 20L, 30L, 40L, java.util.List.of())
            .withGpus(
                NvidiaSmiParser.parseSamples(
                    FakeNvidiaSmi.read("a100x4", "gpus.csv"),
                    FakeNvidiaSmi.read("a100x4", "apps.csv")));

    String text = json.writeValueAsString(metrics);

    assertEquals(metrics, json.readValue(text, NodeMetrics.class));
    assertTrue(text.contains("\"powerDrawW\":null"), text);
    assertTrue(text.contains("\"utilisationGpu\":100"), text);
    assertTrue(text.contains("\"usedMemoryMib\":null"), text);
    assertTrue(text.contains("\"load5\":null"), text);
  }

  @Test
  void factsRoundTripAndUnknownFieldsAreIgnored() throws Exception {
    NodeFacts facts =
        new NodeFacts(null, "Ubuntu 24.04 LTS", "amd64", null, 8, 1L << 34, null, null, null)
            .withGpus(NvidiaSmiParser.parseInfos(FakeNvidiaSmi.read("rtx4090", "gpus.csv")));

    String text = json.writeValueAsString(facts);
    String newer = text.replaceFirst("\\{", "{\"numaNodes\":2,");

    assertEquals(facts, json.readValue(newer, NodeFacts.class));
    assertTrue(text.contains("\"memoryTotalMib\":24564"), text);
  }

  @Test
  void missingListsReadAsEmpty() throws Exception {
    GpuSample sample = json.readValue("{\"index\":3}", GpuSample.class);

    assertEquals(3, sample.index());
    assertEquals(java.util.List.of(), sample.processes());
  }
}
