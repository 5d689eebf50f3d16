package dev.ocean.agent.facts;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.FieldSource;

/**
 * Runs the fake nvidia-smi with the other {@code --format} options and field orders, and checks the
 * parser reads them the same as the plain form the agent asks for.
 */
class NvidiaSmiFormatVariantsTest {

  static final List<String> FIXTURES = FakeNvidiaSmi.WORKING_FIXTURES;

  private static final String GPU_QUERY =
      "--query-gpu=" + String.join(",", NvidiaSmiParser.GPU_FIELDS);
  private static final String APP_QUERY =
      "--query-compute-apps=" + String.join(",", NvidiaSmiParser.APP_FIELDS);

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void headerAndUnitsAreParsedLikePlainOutput(String fixture) throws Exception {
    var plain =
        NvidiaSmiParser.parseSamples(
            FakeNvidiaSmi.run(fixture, GPU_QUERY, "--format=csv,noheader,nounits"),
            FakeNvidiaSmi.run(fixture, APP_QUERY, "--format=csv,noheader,nounits"));

    for (String format : List.of("csv", "csv,noheader", "csv,nounits")) {
      assertEquals(
          plain,
          NvidiaSmiParser.parseSamples(
              FakeNvidiaSmi.run(fixture, GPU_QUERY, "--format=" + format),
              FakeNvidiaSmi.run(fixture, APP_QUERY, "--format=" + format)),
          format);
    }
    assertEquals(
        NvidiaSmiParser.parseInfos(FakeNvidiaSmi.run(fixture, GPU_QUERY, "--format=csv,nounits")),
        NvidiaSmiParser.parseInfos(FakeNvidiaSmi.run(fixture, GPU_QUERY, "--format=csv")));
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void reorderedFieldsWithHeaderAreParsedLikePlainOutput(String fixture) throws Exception {
    List<String> reversed = new ArrayList<>(NvidiaSmiParser.GPU_FIELDS);
    Collections.reverse(reversed);

    assertEquals(
        NvidiaSmiParser.parseGpus(FakeNvidiaSmi.run(fixture, GPU_QUERY, "--format=csv")),
        NvidiaSmiParser.parseGpus(
            FakeNvidiaSmi.run(
                fixture, "--query-gpu=" + String.join(",", reversed), "--format=csv")));
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void unitsAppearOnlyWhenNounitsIsAbsent(String fixture) throws Exception {
    String withUnits = FakeNvidiaSmi.run(fixture, GPU_QUERY, "--format=csv");
    String withoutUnits = FakeNvidiaSmi.run(fixture, GPU_QUERY, "--format=csv,noheader,nounits");

    assertTrue(withUnits.startsWith("index, uuid, name, memory.total [MiB], "), withUnits);
    assertTrue(withUnits.contains(" MiB, ") && withUnits.contains(" W"), withUnits);
    assertTrue(!withoutUnits.contains("MiB") && !withoutUnits.contains(" W"), withoutUnits);
  }

  @ParameterizedTest
  @FieldSource("FIXTURES")
  void listingNamesEveryGpuAsTheRealToolDoes(String fixture) throws Exception {
    var infos = NvidiaSmiParser.parseInfos(FakeNvidiaSmi.run(fixture, GPU_QUERY, "--format=csv"));
    List<String> expected =
        infos.stream()
            .map(g -> "GPU " + g.index() + ": " + g.name() + " (UUID: " + g.uuid() + ")")
            .toList();

    assertEquals(expected, FakeNvidiaSmi.run(fixture, "-L").lines().toList());
  }
}
