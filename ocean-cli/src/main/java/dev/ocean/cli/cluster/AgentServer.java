package dev.ocean.cli.cluster;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocean.common.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The server URL the cluster's own agent keeps in its state ({@code agent.json}, written by {@code
 * ocean-agent join}): {@code ocean up --port P} or {@code --listen ADDR} of a cluster that ran
 * elsewhere points it at the new one, or the agent would go on calling the old address (qa7 K7).
 */
final class AgentServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentServer() {}

  /**
   * Points the agent's server URL at {@code to} when it names another address or port (the agent of
   * this cluster only ever calls this cluster's server), after {@code before}; returns whether it
   * did.
   */
  static boolean point(Path agentState, String to, Runnable before) {
    Path file = agentState.resolve("agent.json");
    if (!Files.isRegularFile(file)) {
      return false; // not joined yet: the join gets the new URL
    }
    try {
      if (JSON.readTree(file.toFile()) instanceof ObjectNode config
          && config.path("server").isTextual()
          && !config.get("server").asText().equals(to)) {
        before.run();
        config.put("server", to);
        PrivateFiles.write(file, JSON.writerWithDefaultPrettyPrinter().writeValueAsBytes(config));
        return true;
      }
      return false;
    } catch (IOException e) {
      throw new UncheckedIOException("cannot update " + file, e);
    }
  }
}
