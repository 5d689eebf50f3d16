package dev.ocean.agent.runtime.process;

import java.io.IOException;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;

/** Signals the process group of a run that {@link ProcessRuntime} launched under its wrapper. */
final class ProcessGroup {

  private ProcessGroup() {}

  /** Sends {@code signal} (e.g. {@code TERM}) to every process in the group {@code pgid}. */
  static void signal(long pgid, String signal) throws IOException, InterruptedException {
    // no such group any more is fine: kill's exit status is deliberately ignored
    new ProcessBuilder("kill", "-" + signal, "--", "-" + pgid)
        .redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD)
        .start()
        .waitFor();
  }

  /**
   * Waits until the wrapper shell has exec'd the user's program, up to {@code atMost} (the stop's
   * grace: on a loaded machine that can take seconds). A stop right after the start would otherwise
   * deliver SIGTERM while only the wrapper (which ignores it) exists, and the program, started a
   * moment later, would never see it and be killed at the end of the grace instead.
   */
  static void awaitLaunched(ProcessHandle wrapper, Duration atMost) throws InterruptedException {
    Optional<String> wrapperCommand = wrapper.info().commandLine();
    long deadline = System.nanoTime() + atMost.toNanos();
    while (wrapper.isAlive() && System.nanoTime() < deadline) {
      // a forked subshell still shows the wrapper's command line; after exec it shows the run's
      if (wrapper.children().anyMatch(c -> !c.info().commandLine().equals(wrapperCommand))) {
        return;
      }
      Thread.sleep(10);
    }
  }

  /** Waits up to {@code timeout} for the process to end; returns whether it did. */
  static boolean waitFor(ProcessHandle process, Duration timeout) throws InterruptedException {
    try {
      process.onExit().get(timeout.toMillis(), TimeUnit.MILLISECONDS);
      return true;
    } catch (TimeoutException | ExecutionException e) {
      return false;
    }
  }
}
