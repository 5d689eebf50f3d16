package dev.ocean.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.validation.Rules;
import java.util.Optional;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

class JoinerTest {

  @ParameterizedTest(name = "{0} -> {1}")
  @CsvSource(
      nullValues = "NULL",
      value = {
        "GPU-Box_01.lab.example.com, gpu-box-01",
        "gpu7, gpu7",
        "node.example.com, node",
        "_under_score_, under-score",
        "--dashes--, dashes",
        ".hidden, hidden",
        "Ünïcode-Hóst, n-code-h-st",
        "'', node",
        "___, node",
        "NULL, node"
      })
  void nodeNameIsADnsLabelFromTheHostName(String host, String expected) {
    String name = Joiner.nodeName(host);
    assertEquals(expected, name);
    assertEquals(Optional.empty(), Rules.resourceName("node", name), "the server accepts it");
  }

  @ParameterizedTest
  @CsvSource({"64", "100"})
  void longHostNamesAreCutTo63WithoutATrailingDash(int length) {
    String host = "a".repeat(62) + "-" + "b".repeat(length - 63);
    String name = Joiner.nodeName(host);
    assertEquals("a".repeat(62), name);
    assertEquals(Optional.empty(), Rules.resourceName("node", name));
  }
}
