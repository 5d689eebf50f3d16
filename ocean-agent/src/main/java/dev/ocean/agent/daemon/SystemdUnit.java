package dev.ocean.agent.daemon;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/** The systemd unit that keeps {@code ocean-agent run} going across reboots. */
public final class SystemdUnit {
  public static final String NAME = "ocean-agent.service";

  private SystemdUnit() {}

  public static String render(Path launcher, Path stateDir) {
    return """
        [Unit]
        Description=Ocean GPU cluster agent
        Wants=network-online.target
        After=network-online.target docker.service podman.socket

        [Service]
        Type=simple
        ExecStart=%s run --state-dir %s
        Restart=always
        RestartSec=5
        KillMode=process

        [Install]
        WantedBy=multi-user.target
        """
        .formatted(quote(launcher), quote(stateDir));
  }

  /** systemd splits ExecStart and Environment on spaces unless the word is double-quoted. */
  private static String quote(Path p) {
    String s = p.toString();
    return s.contains(" ") ? "\"" + s.replace("\\", "\\\\").replace("\"", "\\\"") + "\"" : s;
  }

  /** Writes the unit into {@code unitDir}; returns its path. */
  public static Path write(Path unitDir, Path launcher, Path stateDir) throws IOException {
    Files.createDirectories(unitDir);
    Path unit = unitDir.resolve(NAME);
    Files.writeString(unit, render(launcher, stateDir));
    return unit;
  }
}
