package dev.ocean.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.docker.DockerOptions;
import java.util.List;
import org.junit.jupiter.api.Test;

class UlimitConfigTest {
  private static AgentConfig with(List<String> ulimits) {
    return new AgentConfig(
        "http://s", "n", "c", "docker", null, null, 5, ulimits, null, null, null, null, null);
  }

  @Test
  void noUlimitsMeansTheSafeDefaults() {
    assertEquals(DockerOptions.DEFAULT_ULIMITS, with(null).containerUlimits());
    assertEquals(DockerOptions.DEFAULT_ULIMITS, with(List.of()).containerUlimits());
  }

  @Test
  void configuredUlimitsReplaceTheDefaults() {
    assertEquals(
        List.of(
            new DockerOptions.Ulimit("nofile", 1024, 2048),
            new DockerOptions.Ulimit("memlock", 64, 64)),
        with(List.of("nofile=1024:2048", "memlock=64")).containerUlimits());
  }

  @Test
  void malformedUlimitsAreRefusedWithASentence() {
    for (String bad : List.of("nofile", "nofile=abc", "NOFILE=1", "nofile=10:5", "nofile=1:2:3")) {
      var e = assertThrows(IllegalArgumentException.class, () -> AgentConfig.ulimit(bad), bad);
      assertTrue(e.getMessage().contains("ulimit"), e.getMessage());
    }
  }
}
