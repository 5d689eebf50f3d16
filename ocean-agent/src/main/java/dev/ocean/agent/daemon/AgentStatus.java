package dev.ocean.agent.daemon;

import java.nio.file.Path;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * What the running agent last knew, written to {@code status.json} after every heartbeat so {@code
 * ocean-agent status} can show it without talking to the daemon.
 *
 * @param serverState the node's state as the server last answered
 * @param lastError the last failure talking to the server, null once it works again
 */
public record AgentStatus(
    Instant lastHeartbeatAt, String serverState, String lastError, List<String> gpus) {
  public static final String FILE = "status.json";

  public static Optional<AgentStatus> load(Path stateDir) {
    return AgentConfig.read(stateDir.resolve(FILE), AgentStatus.class);
  }

  public void save(Path stateDir) {
    AgentConfig.writePrivate(stateDir, FILE, this);
  }
}
