package dev.ocean.common.validation;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class RulesTest {
  @Test
  void passwordsNeedLengthAndFourKindsOfCharacter() {
    assertTrue(Rules.password("Sea-Water-42!").isEmpty());
    for (String weak :
        List.of("Aa1!", "alllower1!", "ALLUPPER1!", "NoDigits!!", "NoSpecial11", "")) {
      assertTrue(Rules.password(weak).isPresent(), weak);
    }
    assertTrue(Rules.password(null).isPresent());
  }

  @Test
  void volumeNamesAreDnsLabelsSoNeverPaths() {
    for (String ok : List.of("data", "a", "my-data-2", "x".repeat(63))) {
      assertTrue(Rules.resourceName("volume", ok).isEmpty(), ok);
    }
    for (String bad :
        List.of("../x", ".hidden", "a/b", "UPPER", "-dash", "dash-", "", "x".repeat(64), "a b")) {
      assertTrue(Rules.resourceName("volume", bad).isPresent(), bad);
    }
  }

  @Test
  void machineTypeNamesFollowTheContract() {
    assertTrue(Rules.machineTypeName("g1.small").isEmpty());
    assertTrue(Rules.machineTypeName("G1").isPresent());
    assertTrue(Rules.machineTypeName(".g1").isPresent());
  }

  @Test
  void emailsAndImageReferences() {
    assertTrue(Rules.email("ada@example.com").isEmpty());
    assertTrue(Rules.email("not-an-email").isPresent());
    assertTrue(Rules.email("admin@localhost").isEmpty(), "the admin of ocean up");
    assertTrue(Rules.email("a.b+tag@mail.example.co.uk").isEmpty());
    assertTrue(Rules.email("<script>alert(1)</script>@example.com").isPresent(), "markup");
    assertTrue(Rules.email("a@b").isPresent(), "no dotted domain");
    assertTrue(Rules.email("a b@example.com").isPresent(), "a space");
    assertTrue(Rules.email("a;b@example.com").isPresent(), "a separator");
    assertTrue(Rules.email("a@example..com").isPresent(), "an empty label");
    assertTrue(Rules.imageReference("pytorch/pytorch:2.4.0-cuda12.1-cudnn9-runtime").isEmpty());
    assertTrue(Rules.imageReference("bad ref; rm -rf /").isPresent());
  }

  @Test
  void durationsAreShortHumanForms() {
    assertEquals(Optional.of(Duration.ofSeconds(90)), Durations.parse("90s"));
    assertEquals(Optional.of(Duration.ofMinutes(30)), Durations.parse("30m"));
    assertEquals(Optional.of(Duration.ofHours(1)), Durations.parse("1h"));
    assertEquals(Optional.of(Duration.ofDays(2)), Durations.parse("2d"));
    for (String bad : List.of("abc", "1w", "-1h", "", "1.5h")) {
      assertTrue(Durations.parse(bad).isEmpty(), bad);
    }
  }

  @Test
  void textRefusesControlCharactersAndOverlongValues() {
    assertTrue(Rules.text("reason", "plain ünïcode text", 100, false).isEmpty());
    assertTrue(Rules.text("reason", null, 100, false).isEmpty());
    for (String bad :
        List.of("a\u0000b", "esc\u001b[31m", "line\nbreak", "del\u007f", "ls\u2028")) {
      assertTrue(Rules.text("reason", bad, 100, false).isPresent(), bad);
    }
    assertTrue(Rules.text("command[0]", "echo a\necho b\t", 100, true).isEmpty());
    assertTrue(Rules.text("command[0]", "nul\u0000", 100, true).isPresent());
    Optional<String> tooLong = Rules.text("agentVersion", "v".repeat(101), 100, false);
    assertEquals(Optional.of("agentVersion must be at most 100 characters long"), tooLong);
  }

  @Test
  void quotesKeepAShortPrefix() {
    assertEquals("short", Rules.quote("short"));
    assertEquals("x".repeat(40) + "…", Rules.quote("x".repeat(900_000)));
  }
}
