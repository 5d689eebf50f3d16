package dev.ocean.agent.cmd;

import dev.ocean.agent.daemon.AgentConfig;
import dev.ocean.agent.daemon.AgentStatus;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import picocli.CommandLine.Command;

@Command(
    name = "status",
    description = "Show what this agent knows: server, node, last heartbeat, GPUs.")
final class StatusCommand extends AgentSubcommand {
  /** Where {@code ocean up} keeps its agent's state: {@code $XDG_DATA_HOME/ocean/agent}. */
  private Path upStateDir() {
    String data = env.get("XDG_DATA_HOME");
    String home = env.getOrDefault("HOME", System.getProperty("user.home"));
    Path base = data != null && !data.isBlank() ? Path.of(data) : Path.of(home, ".local", "share");
    return base.resolve("ocean").resolve("agent").toAbsolutePath().normalize();
  }

  private static final DateTimeFormatter TIME =
      DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm").withZone(ZoneOffset.UTC);

  @Override
  public Integer call() {
    Path state = stateDir();
    AgentConfig config = AgentConfig.load(state).orElse(null);
    if (config == null) {
      Path up = upStateDir();
      System.out.println(
          "Not joined: no node identity in "
              + state
              + (stateDir == null && AgentConfig.load(up).isPresent()
                  ? "; the agent `ocean up` started keeps its state in "
                      + up
                      + " (--state-dir "
                      + up
                      + ")."
                  : "."));
      return 3;
    }
    AgentStatus s = AgentStatus.load(state).orElse(null);
    System.out.println("server          " + config.server());
    System.out.println("node            " + config.nodeName());
    System.out.println("runtime         " + config.runtime());
    System.out.println("state dir       " + state.toAbsolutePath());
    System.out.println(
        "last heartbeat  "
            + (s == null || s.lastHeartbeatAt() == null
                ? "never"
                : when(s.lastHeartbeatAt(), Instant.now())));
    System.out.println(
        "server says     " + (s == null || s.serverState() == null ? "-" : s.serverState()));
    if (s != null && s.lastError() != null) {
      System.out.println("last error      " + s.lastError());
    }
    if (s == null || s.gpus().isEmpty()) {
      System.out.println("gpus            none");
    } else {
      s.gpus().forEach(g -> System.out.println("gpu             " + g));
    }
    return 0;
  }

  /** As the {@code ocean} CLI prints times: {@code 2030-01-15 09:00 UTC (12s ago)}. */
  static String when(Instant t, Instant now) {
    long s = Math.max(0, Duration.between(t, now).toSeconds());
    String ago =
        s < 60 ? s + "s" : s < 3600 ? s / 60 + "m" : s < 86_400 ? s / 3600 + "h" : s / 86_400 + "d";
    return TIME.format(t) + " UTC (" + ago + " ago)";
  }
}
