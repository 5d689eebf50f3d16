package dev.ocean.server.health;

import java.lang.management.ManagementFactory;
import java.util.function.LongSupplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Gives the heap that a burst of load grew back to the operating system once the load is over. The
 * serial collector (see the launcher) shrinks the heap only in a full collection, and an idle
 * server allocates too little to ever need one, so without this a server keeps its peak footprint
 * forever. Checked periodically: when the server allocated little since the previous check and the
 * committed heap grew by more than {@link #GROWTH} since the last time this collected, it runs one
 * full collection. At most one per burst of load, never while the load lasts.
 */
public final class IdleHeap {
  private static final Logger LOG = LoggerFactory.getLogger(IdleHeap.class);

  /** Heap growth since the last idle collection that makes another one worth its pause. */
  static final long GROWTH = 16L << 20;

  /** Bytes allocated between two checks below which the server counts as idle. */
  static final long IDLE_ALLOCATION = 16L << 20;

  private final LongSupplier allocated;
  private final LongSupplier committed;
  private final Runnable collect;
  private long lastAllocated;
  private long baseline;

  /** Watches this JVM's heap and collects with {@link System#gc()}. */
  public static IdleHeap ofThisJvm() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    var memory = ManagementFactory.getMemoryMXBean();
    return new IdleHeap(
        threads::getTotalThreadAllocatedBytes,
        () -> memory.getHeapMemoryUsage().getCommitted(),
        System::gc);
  }

  /**
   * A watcher reading total allocated bytes from {@code allocated} and the committed heap from
   * {@code committed}, collecting with {@code collect}.
   */
  IdleHeap(LongSupplier allocated, LongSupplier committed, Runnable collect) {
    this.allocated = allocated;
    this.committed = committed;
    this.collect = collect;
    this.lastAllocated = allocated.getAsLong();
    this.baseline = committed.getAsLong();
  }

  /** One periodic check; true when it collected. */
  public synchronized boolean check() {
    long now = allocated.getAsLong();
    boolean idle = now >= 0 && now - lastAllocated < IDLE_ALLOCATION;
    lastAllocated = now;
    long heap = committed.getAsLong();
    if (!idle || heap - baseline <= GROWTH) {
      // under load, or nothing worth giving back; a heap that shrank on its own is the new base
      baseline = Math.min(baseline, heap);
      return false;
    }
    collect.run();
    baseline = committed.getAsLong();
    lastAllocated = allocated.getAsLong();
    LOG.debug("idle after load: heap {} MB -> {} MB", heap >> 20, baseline >> 20);
    return true;
  }

  /** {@link #check()} for a timer: never throws. */
  public void checkQuietly() {
    try {
      check();
    } catch (RuntimeException e) {
      LOG.debug("idle heap check failed", e);
    }
  }
}
