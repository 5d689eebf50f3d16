package dev.ocean.server.job;

import java.util.concurrent.ConcurrentHashMap;

/**
 * Wake-ups by key (a node's name, a run, a job) for long polls and followers: a waiter reads the
 * version, checks its condition, then waits until the version moves, so no signal is missed.
 */
public final class Signals {
  private static final class Slot {
    long version;
  }

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

  private Slot slot(String key) {
    return slots.computeIfAbsent(key, k -> new Slot());
  }

  public long version(String key) {
    Slot s = slot(key);
    synchronized (s) {
      return s.version;
    }
  }

  public void signal(String key) {
    Slot s = slot(key);
    synchronized (s) {
      s.version++;
      s.notifyAll();
    }
  }

  /**
   * Drops a key nobody will wait on for long any more (an ended run's log, an ended job), so the
   * table does not grow with every run. A waiter caught in between wakes at its next timeout.
   */
  public void forget(String key) {
    slots.remove(key);
  }

  /** Waits until the version of {@code key} differs from {@code seen} or the time is up. */
  public void await(String key, long seen, long millis) throws InterruptedException {
    Slot s = slot(key);
    long deadline = System.currentTimeMillis() + millis;
    synchronized (s) {
      while (s.version == seen) {
        long left = deadline - System.currentTimeMillis();
        if (left <= 0) {
          return;
        }
        s.wait(left);
      }
    }
  }
}
