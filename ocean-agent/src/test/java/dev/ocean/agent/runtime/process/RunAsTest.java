package dev.ocean.agent.runtime.process;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import dev.ocean.agent.runtime.RunRuntimeException;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.agent.runtime.SpoolLogSink;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Jobs of the process runtime never run as the agent's root, nor beside its credential. */
class RunAsTest {
  @TempDir Path state;
  @TempDir Path spool;
  @TempDir Path scratch;
  private ProcessRuntime runtime;

  @AfterEach
  void close() {
    if (runtime != null) {
      runtime.close();
    }
  }

  private String run(ProcessRuntime rt, String runId, String script) throws Exception {
    runtime = rt;
    SpoolLogSink sink = SpoolLogSink.open(spool, runId);
    int code = rt.start(RunSpec.of(runId, 1, 0, "host", List.of("sh", "-c", script)), sink).await();
    return code + ":" + Files.readString(SpoolLogSink.fileOf(spool, runId), UTF_8).strip();
  }

  @Test
  void rootAgentRefusesJobsUnlessToldWhoToRunThemAs() {
    RunAs implicit = RunAs.of(null, "root");

    assertTrue(implicit.refusal().contains("--run-as USER"), implicit.refusal());
    assertNull(RunAs.of("root", "root").refusal(), "root only when explicit");
    assertEquals("nobody", RunAs.of("nobody", "root").user());
    assertNull(RunAs.of(null, "alice").refusal(), "a non-root agent runs jobs as itself");
    assertTrue(RunAs.of("bob", "alice").refusal().contains("needs the agent to run as root"));
    assertTrue(RunAs.of("no-such-user-x", "root").refusal().contains("no such account"));

    ProcessRuntime refusing = new ProcessRuntime(state.resolve("p"), implicit, scratch);
    runtime = refusing;
    assertEquals(implicit.refusal(), refusing.probe().problem());
    RunRuntimeException e =
        assertThrows(
            RunRuntimeException.class,
            () ->
                refusing.start(
                    RunSpec.of("1-0", 1, 0, "host", List.of("true")),
                    SpoolLogSink.open(spool, "1-0")));
    assertTrue(e.getMessage().contains("--run-as"), e.getMessage());
  }

  @Test
  void homeOfARunWithoutVolumeIsOutsideTheStateDirectory() throws Exception {
    String out = run(new ProcessRuntime(state.resolve("p")), "2-0", "echo $HOME; pwd");

    for (String dir : out.substring(2).split("\n")) {
      assertFalse(Path.of(dir).startsWith(state), dir + " is inside the state directory");
    }
  }

  @Test
  void jobRunAsAnUnprivilegedAccountCannotReadTheCredential() throws Exception {
    assumeTrue("root".equals(RunAs.me()), "switching accounts needs a root agent");
    Files.writeString(state.resolve("agent.json"), "{\"credential\":\"secret\"}");
    Files.setPosixFilePermissions(state, PosixFilePermissions.fromString("rwx------"));

    String out =
        run(
            new ProcessRuntime(state.resolve("p"), RunAs.of("nobody", "root"), scratch),
            "3-0",
            "id -un; cat " + state.resolve("agent.json") + " || echo refused");

    assertTrue(out.startsWith("0:nobody"), out);
    assertTrue(out.contains("refused"), out);
    assertFalse(out.contains("secret"), out);
  }
}
