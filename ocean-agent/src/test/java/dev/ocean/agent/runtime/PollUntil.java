package dev.ocean.agent.runtime;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits in tests until a condition holds, instead of sleeping a guessed time. */
public final class PollUntil {
  private PollUntil() {}

  /** Polls {@code condition} every 20 ms until it holds; fails with {@code what} after timeout. */
  public static void poll(Duration timeout, String what, BooleanSupplier condition) {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (!condition.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what);
      }
      try {
        Thread.sleep(20);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }
}
