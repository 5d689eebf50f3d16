package dev.ocean.agent.runtime;

import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;

/**
 * A run being followed by a {@link RunRuntime}: its exit code arrives once the run has ended and
 * all of its output is in the sink.
 */
public record RunHandle(String runId, CompletableFuture<Integer> exitCode) {

  /** Blocks until the run has ended and returns its exit code. */
  public int await() throws InterruptedException {
    try {
      return exitCode.get();
    } catch (ExecutionException e) {
      throw new RunRuntimeException("lost track of run " + runId + ": " + e.getCause(), e);
    }
  }
}
