package dev.ocean.agent.work;

import static dev.ocean.agent.runtime.PollUntil.poll;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.agent.runtime.AdoptedRun;
import dev.ocean.agent.runtime.LogSink;
import dev.ocean.agent.runtime.RunHandle;
import dev.ocean.agent.runtime.RunRuntime;
import dev.ocean.agent.runtime.RunRuntimeException;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.agent.runtime.process.ProcessRuntime;
import dev.ocean.common.api.node.RuntimeInfo;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.junit.jupiter.api.Test;

/**
 * A node whose container engine is down: the agent retries re-adopting earlier runs with every
 * poll, but its log says so once (and once more when the engine is back), not every poll (qa11
 * T13).
 */
class EngineDownLogTest extends WorkLoopHarness {
  private static final String DOWN =
      "cannot list this agent's containers at the container engine unix:///gone.sock: No such"
          + " file or directory";

  /** A process runtime whose recovery fails while {@link #down} is set, counting the tries. */
  final class FlakyEngine implements RunRuntime {
    final ProcessRuntime real = new ProcessRuntime(runtimeDir());
    final AtomicBoolean down = new AtomicBoolean(true);
    final AtomicInteger tries = new AtomicInteger();

    @Override
    public RuntimeInfo probe() {
      return real.probe();
    }

    @Override
    public RunHandle start(RunSpec spec, LogSink sink) {
      return real.start(spec, sink);
    }

    @Override
    public void stop(String runId, Duration grace) {
      real.stop(runId, grace);
    }

    @Override
    public List<AdoptedRun> recover(Function<String, LogSink> sinks) {
      tries.incrementAndGet();
      if (down.get()) {
        throw new RunRuntimeException(DOWN);
      }
      return real.recover(sinks);
    }

    @Override
    public void remove(String runId) {
      real.remove(runId);
    }

    @Override
    public void close() {
      real.close();
    }
  }

  @Test
  void engineDownIsLoggedOnceNotWithEveryPollAndItsReturnOnce() {
    FlakyEngine engine = new FlakyEngine();
    PrintStream err = System.err;
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    String log;
    try (PrintStream e = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      System.setErr(e);
      startLoop(engine);
      poll(WAIT, "the agent retried many times", () -> engine.tries.get() >= 6);
      engine.down.set(false);
      poll(
          WAIT,
          "the agent re-adopted",
          () -> captured.toString(StandardCharsets.UTF_8).contains("answers again"));
    } finally {
      System.setErr(err);
      log = captured.toString(StandardCharsets.UTF_8);
    }

    List<String> downLines = log.lines().filter(l -> l.contains("cannot re-adopt")).toList();
    assertEquals(1, downLines.size(), "one line for the outage, not one per try:\n" + log);
    assertTrue(downLines.getFirst().contains(DOWN), "it names the engine: " + downLines);
    assertTrue(downLines.getFirst().contains("trying again"), "it says it retries: " + downLines);
    assertFalse(downLines.getFirst().contains("ERROR"), "a condition, not an error: " + downLines);
    assertEquals(
        1, log.lines().filter(l -> l.contains("answers again")).count(), "its end, once:\n" + log);
  }

  @Test
  void aChangedProblemOrALongSilenceIsSaidAgain() {
    LastingProblem p = new LastingProblem();
    long t = 0;
    assertTrue(p.failing("engine down", t));
    assertFalse(p.failing("engine down", t + Duration.ofMinutes(9).toNanos()));
    assertTrue(p.failing("engine refuses", t + Duration.ofMinutes(9).toNanos()));
    assertTrue(p.failing("engine refuses", t + Duration.ofMinutes(20).toNanos()));
    assertTrue(p.ended());
    assertFalse(p.ended(), "its end is said once");
  }
}
