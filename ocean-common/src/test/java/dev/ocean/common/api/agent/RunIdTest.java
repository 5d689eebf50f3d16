package dev.ocean.common.api.agent;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Optional;
import org.junit.jupiter.api.Test;

class RunIdTest {
  @Test
  void aRunIdNamesItsAttempt() {
    RunId id = RunId.tryParse("12-0.2").orElseThrow();
    assertEquals(new RunId(12, 0, 2), id);
    assertEquals("12-0.2", id.toString());
    assertTrue(id.names(2));
    assertFalse(id.names(1), "an earlier attempt's name does not speak for the current one");
  }

  @Test
  void anOlderAgentsRunIdStandsForTheCurrentAttempt() {
    RunId id = RunId.tryParse("12-3").orElseThrow();
    assertEquals(new RunId(12, 3, 0), id);
    assertEquals("12-3", id.toString());
    assertTrue(id.names(1));
    assertTrue(id.names(5));
  }

  @Test
  void malformedNamesAreNotRunIds() {
    for (String bad :
        new String[] {
          null,
          "",
          "12",
          "12-",
          "-1-0",
          "12-0.",
          "12-0.0",
          "12-0.-1",
          "12-99999999999",
          "12-0.99999999999",
          "a-0"
        }) {
      assertEquals(Optional.empty(), RunId.tryParse(bad), String.valueOf(bad));
    }
  }
}
