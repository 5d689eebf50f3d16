package dev.ocean.cli.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent of {@code ocean up}'s cluster calls the address the server now listens on. */
class AgentServerTest {
  @TempDir Path state;

  private String server() throws Exception {
    return new ObjectMapper().readTree(state.resolve("agent.json").toFile()).get("server").asText();
  }

  @Test
  void aNewListenAddressIsWrittenAfterTheRunningAgentStopped() throws Exception {
    // qa7 K7: `ocean down; ocean up --listen ::1 --port 21283` left the agent on 127.0.0.1:21282
    Files.writeString(
        state.resolve("agent.json"),
        "{\"server\":\"http://127.0.0.1:21282\",\"runtime\":\"process\",\"name\":\"local\"}");
    AtomicInteger stopped = new AtomicInteger();
    assertTrue(AgentServer.point(state, "http://[::1]:21283", stopped::incrementAndGet));
    assertEquals("http://[::1]:21283", server());
    assertEquals(1, stopped.get(), "the agent calling the old address was stopped first");
    assertTrue(Files.readString(state.resolve("agent.json")).contains("\"runtime\" : \"process\""));
  }

  @Test
  void theSameAddressIsLeftAlone() throws Exception {
    Files.writeString(state.resolve("agent.json"), "{\"server\":\"http://[::1]:21283\"}");
    AtomicInteger stopped = new AtomicInteger();
    assertFalse(AgentServer.point(state, "http://[::1]:21283", stopped::incrementAndGet));
    assertEquals(0, stopped.get(), "a running agent on the right address keeps running");
  }
}
