package dev.ocean.server.health;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.management.ManagementFactory;
import org.junit.jupiter.api.Test;

/** The server gives the heap a burst of load grew back once idle, and never collects under load. */
class IdleHeapTest {
  private static final long MB = 1L << 20;

  /** A heap that grows with allocation and shrinks to its live data in a full collection. */
  private static final class Heap {
    long allocated;
    long committed = 32 * MB;
    int collections;

    void load(long bytes, long committedAfter) {
      allocated += bytes;
      committed = committedAfter;
    }

    IdleHeap watcher() {
      return new IdleHeap(
          () -> allocated,
          () -> committed,
          () -> {
            collections++;
            committed = 40 * MB;
          });
    }
  }

  @Test
  void heapGrownUnderLoadIsGivenBackOnceTheLoadStops() {
    Heap heap = new Heap();
    IdleHeap idle = heap.watcher();

    for (int i = 0; i < 5; i++) {
      heap.load(500 * MB, 300 * MB);
      assertFalse(idle.check(), "no collection while the server is busy");
    }
    assertEquals(0, heap.collections);

    assertTrue(idle.check(), "the first idle check after the load collects");
    assertEquals(40 * MB, heap.committed);
    for (int i = 0; i < 10; i++) {
      heap.load(MB, heap.committed);
      assertFalse(idle.check(), "an idle server is collected once, not on every check");
    }
    assertEquals(1, heap.collections);

    heap.load(800 * MB, 200 * MB);
    assertFalse(idle.check());
    assertTrue(idle.check(), "the next burst of load is given back too");
    assertEquals(2, heap.collections);
  }

  @Test
  void aServerThatNeverGrewIsNeverCollected() {
    Heap heap = new Heap();
    IdleHeap idle = heap.watcher();
    for (int i = 0; i < 20; i++) {
      heap.load(2 * MB, 32 * MB + i * MB / 2);
      assertFalse(idle.check());
    }
    assertEquals(0, heap.collections);
  }

  @Test
  void thisJvmsWatcherReadsRealFigures() {
    var threads = (com.sun.management.ThreadMXBean) ManagementFactory.getThreadMXBean();
    long before = threads.getTotalThreadAllocatedBytes();
    byte[][] garbage = new byte[64][];
    for (int i = 0; i < garbage.length; i++) {
      garbage[i] = new byte[1 << 20];
    }
    assertTrue(garbage[63].length > 0);
    assertTrue(
        threads.getTotalThreadAllocatedBytes() - before >= 64 * MB,
        "allocation is counted, so a busy server is told from an idle one");
    IdleHeap.ofThisJvm().checkQuietly();
  }
}
