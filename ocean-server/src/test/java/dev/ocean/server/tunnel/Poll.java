package dev.ocean.server.tunnel;

import static org.junit.jupiter.api.Assertions.fail;

import java.time.Duration;
import java.util.function.BooleanSupplier;

/** Waits until a condition holds, checking often, and fails after the time given. */
final class Poll {
  private Poll() {}

  static void until(Duration within, BooleanSupplier done) throws InterruptedException {
    long deadline = System.nanoTime() + within.toNanos();
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        fail("not done within " + within);
      }
      Thread.sleep(20);
    }
  }
}
