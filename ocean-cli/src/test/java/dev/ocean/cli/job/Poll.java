package dev.ocean.cli.job;

import java.time.Duration;
import java.util.function.Supplier;

/** Waits in tests until a condition holds, instead of sleeping a guessed time. */
final class Poll {
  private Poll() {}

  /**
   * Evaluates {@code value} every 100 ms until it returns non-null; fails naming {@code what} and
   * the last failure after {@code timeout}. Assertion errors inside count as "not yet".
   */
  static <T> T until(Duration timeout, String what, Supplier<T> value) {
    long deadline = System.nanoTime() + timeout.toNanos();
    Throwable last = null;
    while (true) {
      try {
        T v = value.get();
        if (v != null) {
          return v;
        }
      } catch (AssertionError | RuntimeException e) {
        last = e;
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out after " + timeout + " waiting until " + what, last);
      }
      try {
        Thread.sleep(100);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new AssertionError("interrupted waiting until " + what, e);
      }
    }
  }

  /** Like {@link #until(Duration, String, Supplier)} for a plain condition. */
  static void check(Duration timeout, String what, Supplier<Boolean> condition) {
    until(timeout, what, () -> Boolean.TRUE.equals(condition.get()) ? Boolean.TRUE : null);
  }
}
