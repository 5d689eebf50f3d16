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
 * ocean-agent join}): {@code ocean up --port P} of a cluster that ran on another port points it at
 * the new one, or the agent would go on calling the old port.
 */
final class AgentServer {
  private static final ObjectMapper JSON = new ObjectMapper();

  private AgentServer() {}

  /**
   * Points the agent's server URL at {@code to} when it is another port of the same host ({@code
   * prefix}, e.g. {@code http://127.0.0.1:}), after {@code before}; returns whether it did.
   */
  static boolean point(Path agentState, String prefix, String to, Runnable before) {
    Path file = agentState.resolve("agent.json");
    if (!Files.isRegularFile(file)) {
      return false; // not joined yet: the join gets the new URL
    }
    try {
      if (JSON.readTree(file.toFile()) instanceof ObjectNode config
          && config.path("server").isTextual()
          && config.get("server").asText().startsWith(prefix)
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
