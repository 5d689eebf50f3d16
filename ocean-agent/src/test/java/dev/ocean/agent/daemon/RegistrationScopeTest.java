package dev.ocean.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.AdoptedRun;
import dev.ocean.agent.runtime.RunRuntime;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.agent.runtime.SpoolLogSink;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What an agent finds at start is its own only when it comes from its current registration: a node
 * that left and joined again under the same name never adopts the earlier one's runs.
 */
class RegistrationScopeTest {
  @TempDir Path state;

  private static AgentConfig config(String registration) {
    return new AgentConfig(
        "http://s",
        "box",
        "c",
        "process",
        null,
        null,
        5,
        null,
        null,
        registration,
        dev.ocean.agent.runtime.process.RunAs.me(),
        null,
        null);
  }

  @Test
  void runsOfAnEarlierRegistrationAreNotAdopted() throws Exception {
    AgentConfig first = config("r1");
    AgentConfig second = config("r2");
    try (RunRuntime old = Agent.runtimeFor(first, state)) {
      Path spool = first.workDir(state).resolve("spool");
      old.start(
          RunSpec.of("1-0", 1, 0, "host", List.of("sleep", "30")), SpoolLogSink.open(spool, "1-0"));

      try (RunRuntime current = Agent.runtimeFor(second, state)) {
        List<AdoptedRun> adopted =
            current.recover(
                id -> {
                  throw new AssertionError("no sink for a foreign run " + id);
                });

        assertEquals(List.of(), adopted);
      }
      old.stop("1-0", Duration.ZERO);
    }
  }

  @Test
  void containerLabelsAndStateCarryTheRegistration() {
    assertEquals("box.r1", config("r1").runLabel());
    assertNotEquals(config("r1").workDir(state), config("r2").workDir(state));
    assertTrue(config("r1").workDir(state).startsWith(state));
    assertEquals("box", config(null).runLabel(), "configs from before registrations keep theirs");
    assertEquals(state, config(null).workDir(state));
  }
}
