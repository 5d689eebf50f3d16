package dev.ocean.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SystemdUnitTest {
  @TempDir Path dir;

  @Test
  void unitRunsTheAgentOnItsStateDirAndRestartsItAlways() throws Exception {
    Path unit =
        SystemdUnit.write(
            dir.resolve("systemd"),
            Path.of("/opt/ocean/bin/ocean-agent"),
            Path.of("/var/lib/ocean-agent"));
    assertEquals(dir.resolve("systemd").resolve("ocean-agent.service"), unit);
    List<String> lines = Files.readAllLines(unit);
    assertTrue(
        lines.contains("ExecStart=/opt/ocean/bin/ocean-agent run --state-dir /var/lib/ocean-agent"),
        String.join("\n", lines));
    assertTrue(lines.contains("Restart=always"));
    assertTrue(lines.contains("WantedBy=multi-user.target"));
    assertTrue(lines.contains("[Service]") && lines.contains("[Install]"));
  }

  @Test
  void writingAgainReplacesTheUnit() throws Exception {
    Path launcher = Path.of("/opt/ocean/bin/ocean-agent");
    SystemdUnit.write(dir, launcher, Path.of("/srv/old"));
    Path unit = SystemdUnit.write(dir, launcher, Path.of("/srv/new"));
    String text = Files.readString(unit);
    assertTrue(text.contains("run --state-dir /srv/new"), text);
    assertTrue(!text.contains("/srv/old"), text);
  }

  @Test
  void pathsWithSpacesAreQuotedForSystemd() throws Exception {
    Path unit =
        SystemdUnit.write(
            dir, Path.of("/opt/my ocean/bin/ocean-agent"), Path.of("/srv/agent state"));
    assertTrue(
        Files.readAllLines(unit)
            .contains(
                "ExecStart=\"/opt/my ocean/bin/ocean-agent\" run --state-dir \"/srv/agent state\""),
        Files.readString(unit));
  }
}
