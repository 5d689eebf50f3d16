package dev.ocean.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentConfigTest {
  @TempDir Path dir;

  private static AgentConfig config(String credential) {
    return new AgentConfig(
        "http://ocean:8080",
        "box",
        credential,
        "docker",
        null,
        null,
        5,
        null,
        null,
        null,
        null,
        null,
        null);
  }

  @Test
  void instanceFlagsFromJoinAreKeptAndRunMayOverrideThem() {
    Path state = dir.resolve("state");
    config("c").withInstanceFlags("31000-31099", "127.0.0.1").save(state);
    AgentConfig stored = AgentConfig.load(state).orElseThrow();
    var options = stored.instanceOptions(state);
    assertEquals("31000-31099", options.ports().toString());
    assertEquals("127.0.0.1", options.advertiseAddress());
    assertEquals(state.resolve("instance-init"), options.initDir());
    AgentConfig overridden = stored.withInstanceFlags("32000-32009", null);
    assertEquals("32000-32009", overridden.portRange());
    assertEquals("127.0.0.1", overridden.advertiseAddress());
    assertEquals("30000-32767", config("c").instanceOptions(state).ports().toString());
  }

  @Test
  void credentialFileIsOwnerOnlyInAnOwnerOnlyDirectory() throws Exception {
    Path state = dir.resolve("state");
    config("ocn_secret").save(state);
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(state.resolve(AgentConfig.FILE))));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(state)));
    assertEquals(config("ocn_secret"), AgentConfig.load(state).orElseThrow());
  }

  @Test
  void savingAgainKeepsTheModeAndLeavesNoTemporaryFiles() throws Exception {
    config("ocn_one").save(dir);
    config("ocn_two").save(dir);
    assertEquals("ocn_two", AgentConfig.load(dir).orElseThrow().credential());
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(Files.getPosixFilePermissions(dir.resolve("agent.json"))));
    try (var files = Files.list(dir)) {
      assertEquals(List.of("agent.json"), files.map(f -> f.getFileName().toString()).toList());
    }
  }

  @Test
  void missingConfigIsEmptyAndUnreadableStatusIsIgnored() throws Exception {
    assertTrue(AgentConfig.load(dir).isEmpty());
    Files.writeString(dir.resolve(AgentStatus.FILE), "{not json");
    assertTrue(AgentStatus.load(dir).isEmpty());
    new AgentStatus(Instant.EPOCH, "ready", null, List.of("0: GPU")).save(dir);
    assertEquals("ready", AgentStatus.load(dir).orElseThrow().serverState());
  }

  @Test
  void anAgentJsonWrittenBeforeCaCertExistedStillLoads() throws Exception {
    Files.writeString(
        dir.resolve(AgentConfig.FILE),
        """
        {"server":"http://ocean:8080","nodeName":"box","credential":"ocn_old",        "runtime":"docker","heartbeatSeconds":5}
        """);
    AgentConfig old = AgentConfig.load(dir).orElseThrow();
    assertEquals(config("ocn_old"), old);
    assertEquals(null, old.caCert());
  }
}
