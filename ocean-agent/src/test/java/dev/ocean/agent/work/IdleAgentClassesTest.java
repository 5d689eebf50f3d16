package dev.ocean.agent.work;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.daemon.AgentConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * A real {@code ocean-agent run} (its own JVM, process runtime) that heartbeats, polls and runs a
 * job loads none of the libraries that made an idle agent weigh 66 MB: OkHttp and the Kotlin
 * standard library, Jackson's databind, OSHI and JNA. They stay on the class path for tunnels and
 * the Docker runtime; one stray use in the common path would bring their ~20 MB back.
 */
class IdleAgentClassesTest extends WorkLoopHarness {

  private static final List<String> HEAVY =
      List.of(
          "okhttp3.",
          "okio.",
          "kotlin.",
          "com.fasterxml.jackson.databind.",
          "oshi.",
          "com.sun.jna.");

  @Test
  void anAgentThatRunsAJobLoadsNoHeavyLibrary() throws Exception {
    Path dir = Files.createDirectories(state.resolve("agent"));
    new AgentConfig(
            server.url(),
            "n1",
            FakeOceanServer.CREDENTIAL,
            "process",
            null,
            storage.toString(),
            1,
            null,
            null,
            "reg-1",
            System.getProperty("user.name"), // as root too: this test's own account
            null,
            null)
        .save(dir);
    Path classes = state.resolve("classes.txt");
    String java = Path.of(System.getProperty("java.home"), "bin", "java").toString();
    Process agent =
        new ProcessBuilder(
                java,
                "-Xlog:class+load:file=" + classes,
                "-cp",
                System.getProperty("java.class.path"),
                "dev.ocean.agent.Main",
                "run",
                "--state-dir",
                dir.toString())
            .redirectErrorStream(true)
            .redirectOutput(state.resolve("agent.log").toFile())
            .start();
    try {
      server.assign(assignment("1-0", null, "sh", "-c", "echo hi"));
      awaitState("1-0", "succeeded");
      assertEquals("hi\n", server.logText("1-0"));
      int beats = server.heartbeats().size();
      poll(WAIT, "two more heartbeats", () -> server.heartbeats().size() >= beats + 2);
    } catch (AssertionError e) {
      throw new AssertionError(
          e.getMessage()
              + "; state "
              + server.reports("1-0")
              + ", heartbeats "
              + server.heartbeats().size()
              + "; the agent said: "
              + Files.readString(state.resolve("agent.log")),
          e);
    } finally {
      agent.destroy();
      agent.waitFor(20, TimeUnit.SECONDS);
    }

    List<String> loaded =
        Files.readAllLines(classes).stream()
            .filter(l -> l.contains("source:"))
            .map(l -> l.replaceAll(".*\\] (\\S+) source:.*", "$1"))
            .toList();
    assertTrue(loaded.contains("dev.ocean.agent.daemon.NodeClient"), "the log lists the agent");
    List<String> heavy =
        loaded.stream().filter(c -> HEAVY.stream().anyMatch(c::startsWith)).limit(5).toList();
    assertEquals(List.of(), heavy, Files.readString(state.resolve("agent.log")));
  }
}
