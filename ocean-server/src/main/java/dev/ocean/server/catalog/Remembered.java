package dev.ocean.server.catalog;

import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Supplier;

/**
 * Catalogue entries by name, remembered for {@value #TTL_MILLIS} ms: every submission names a
 * machine type and an image, and reading them cost two queries on the one writer. A change made
 * through this server is seen at once ({@link #forget}, called inside the changing transaction, so
 * no write that follows it reads the old entry); one made through another server sharing the
 * database is seen within the second. Unknown names are not remembered.
 */
final class Remembered<T> {
  static final long TTL_MILLIS = 1000;

  private record Entry<T>(T value, long at) {}

  private final ConcurrentHashMap<String, Entry<T>> byName = new ConcurrentHashMap<>();
  private final AtomicLong generation = new AtomicLong();

  Optional<T> get(String name, Supplier<Optional<T>> read) {
    long now = System.nanoTime();
    Entry<T> e = byName.get(name);
    if (e != null && now - e.at() < TTL_MILLIS * 1_000_000L) {
      return Optional.of(e.value());
    }
    long seen = generation.get();
    Optional<T> value = read.get();
    if (value.isPresent()) {
      Entry<T> fresh = new Entry<>(value.get(), now);
      byName.put(name, fresh);
      if (generation.get() != seen) { // changed while it was read: not remembered
        byName.remove(name, fresh);
      }
    }
    return value;
  }

  /** Forgets everything: an entry was created, changed or removed. */
  void forget() {
    generation.incrementAndGet();
    byName.clear();
  }
}
