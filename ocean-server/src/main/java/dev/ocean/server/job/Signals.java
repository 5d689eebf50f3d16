package dev.ocean.server.job;

import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;
import java.util.function.LongConsumer;

/**
 * Wake-ups by key (a node's name, a run, a job) for long polls and followers: a waiter reads the
 * version, checks its condition, then waits until the version moves, so no signal is missed. With
 * several servers on one database every signal is also relayed to the others ({@link #relayTo}),
 * which deliver it with {@link #signalHere}.
 */
public final class Signals {
  /**
   * Versions come from one counter, so a version never repeats, even for a key forgotten and read
   * again: a cache tagged with a version (the logs' tails) cannot be mistaken for current.
   */
  private static final AtomicLong CLOCK = new AtomicLong();

  private static final class Slot {
    long version = CLOCK.incrementAndGet();
  }

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private volatile Consumer<String> relay = key -> {};

  /** Sends every signal from now on to {@code relay} too (the other servers of a cluster). */
  public void relayTo(Consumer<String> relay) {
    this.relay = relay;
  }

  private Slot slot(String key) {
    return slots.computeIfAbsent(key, k -> new Slot());
  }

  public long version(String key) {
    Slot s = slot(key);
    synchronized (s) {
      return s.version;
    }
  }

  /** Wakes the waiters on {@code key} here and on the other servers. */
  public void signal(String key) {
    bump(slot(key));
    relay.accept(key);
  }

  /**
   * Like {@link #signal}; when this is the first signal of {@code key} since version {@code seen},
   * first hands the new version to {@code first}, before any waiter or reader sees it (e.g. to
   * cache what that version holds, so the waiters it wakes find it).
   */
  public void signalAfter(String key, long seen, LongConsumer first) {
    Slot s = slot(key);
    synchronized (s) {
      boolean quiet = s.version == seen;
      s.version = CLOCK.incrementAndGet();
      if (quiet) {
        first.accept(s.version);
      }
      s.notifyAll();
    }
    relay.accept(key);
  }

  /**
   * Wakes the waiters on {@code key} on this server only (a signal relayed from another). A key
   * nobody here has read is left alone: nobody can be waiting on it, and the table stays small.
   */
  public void signalHere(String key) {
    Slot s = slots.get(key);
    if (s != null) {
      bump(s);
    }
  }

  private static void bump(Slot s) {
    synchronized (s) {
      s.version = CLOCK.incrementAndGet();
      s.notifyAll();
    }
  }

  /** Wakes every waiter here, e.g. after signals from other servers may have been missed. */
  public void signalEverything() {
    slots.keySet().forEach(this::signalHere);
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
