package dev.ocean.server.store;

import dev.ocean.server.error.Unavailable;
import java.sql.SQLException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CompletionException;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Group commit for the busy write paths (submissions, run reports, heartbeats): callers hand their
 * transaction's work to one writer thread, which runs everything that queued up meanwhile in one
 * transaction and answers each caller only after that transaction committed, so an answer still
 * means "durable", as with a transaction of its own. One commit (and, on PostgreSQL, one fsync)
 * then serves many requests.
 *
 * <p>A piece of work that throws is rolled back alone and its caller gets its own exception, while
 * the others commit (they run again, each in its own savepoint). Work runs in arrival order and
 * sees what the work before it in the batch wrote, so checks such as quota admission stay exact. A
 * piece that meets a deadlock or serialization failure (PostgreSQL, two servers) is tried again in
 * a later batch. The work must use only the handle it is given, never open a transaction of its
 * own.
 */
public final class GroupCommit implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(GroupCommit.class);
  private static final int MAX_BATCH = 64; // bounds how long other writers wait for the lock
  private static final int MAX_TRIES = 5;
  private static final String SAVEPOINT = "ocean_item";

  private final Jdbi jdbi;
  private final LinkedBlockingQueue<Item<?>> queue = new LinkedBlockingQueue<>();
  private final Thread writer;
  private volatile boolean closed;

  public GroupCommit(Jdbi jdbi) {
    this.jdbi = jdbi;
    this.writer = Thread.ofPlatform().name("ocean-group-commit").daemon(true).start(this::loop);
  }

  /**
   * Runs {@code work} in the next batch's transaction and returns its result once that committed;
   * throws what {@code work} threw (nothing of it is kept), or the commit's failure.
   */
  public <T> T write(HandleCallback<T, ? extends Exception> work) {
    if (Thread.currentThread() == writer) {
      throw new IllegalStateException("group commit work must not write through group commit");
    }
    Item<T> item = new Item<>(work);
    if (closed) {
      throw new Unavailable("the server is shutting down");
    }
    queue.add(item);
    try {
      return item.done.join();
    } catch (CompletionException e) {
      Throwable cause = e.getCause();
      if (cause instanceof RuntimeException r) {
        throw r;
      }
      if (cause instanceof Error err) {
        throw err;
      }
      throw new IllegalStateException(cause);
    }
  }

  /** How many pieces wait for the writer now (tests use it to line up a batch). */
  int queued() {
    return queue.size();
  }

  /**
   * Whether more than {@code pieces} wait for the writer: a caller that can come back later (an
   * agent's report) is then refused at once instead of queueing where it would time out.
   */
  public boolean backlogAbove(int pieces) {
    return queue.size() > pieces;
  }

  private void loop() {
    List<Item<?>> batch = new ArrayList<>();
    while (!closed || !queue.isEmpty()) {
      try {
        Item<?> first = queue.poll(200, TimeUnit.MILLISECONDS);
        if (first == null) {
          continue;
        }
        batch.add(first);
        queue.drainTo(batch, MAX_BATCH - 1);
        run(batch);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        break;
      } catch (RuntimeException | Error e) {
        LOG.error("group commit failed", e);
        batch.forEach(i -> i.done.completeExceptionally(e));
      } finally {
        batch.clear();
      }
    }
    for (Item<?> left; (left = queue.poll()) != null; ) {
      left.done.completeExceptionally(new Unavailable("the server is shutting down"));
    }
  }

  private void run(List<Item<?>> batch) {
    // Most batches have no failure, so the first try runs without savepoints (two statements less
    // per piece). When a piece throws, nothing was kept: it fails alone with what it threw, and
    // the others run again, now each in its own savepoint.
    Item<?> failed = tryBatch(batch, false);
    if (failed != null && batch.size() > 1) {
      List<Item<?>> rest = new ArrayList<>(batch);
      rest.remove(failed);
      rest.forEach(Item::reset);
      tryBatch(rest, true);
    }
    List<Item<?>> retry = new ArrayList<>();
    for (Item<?> item : batch) {
      if (item.error != null && retryable(item.error) && ++item.tries < MAX_TRIES) {
        item.reset();
        retry.add(item);
      } else {
        item.finish();
      }
    }
    queue.addAll(retry);
  }

  /**
   * Runs {@code items} in one transaction; without savepoints, returns the piece that threw (the
   * transaction rolled back), else null. A failed commit fails every piece without an error.
   */
  private Item<?> tryBatch(List<Item<?>> items, boolean savepoints) {
    Item<?>[] threw = new Item<?>[1];
    try {
      jdbi.useTransaction(
          h -> {
            for (Item<?> item : items) {
              if (savepoints) {
                inSavepoint(h, item);
              } else {
                try {
                  item.runOn(h);
                } catch (Exception e) {
                  item.error = e;
                  threw[0] = item;
                  throw e; // the transaction rolls back
                }
              }
            }
          });
    } catch (Exception e) {
      if (threw[0] != null) {
        return threw[0];
      }
      for (Item<?> item : items) {
        if (item.error == null) {
          item.error = e;
        }
      }
    }
    return null;
  }

  private static void inSavepoint(Handle h, Item<?> item) {
    // Plain SQL, same in SQLite and PostgreSQL (Jdbi's savepoint calls forget a savepoint once
    // rolled back to, though SQL keeps it until released).
    h.execute("SAVEPOINT " + SAVEPOINT);
    try {
      item.runOn(h);
    } catch (Exception e) {
      item.error = e;
      h.execute("ROLLBACK TO SAVEPOINT " + SAVEPOINT);
    }
    h.execute("RELEASE SAVEPOINT " + SAVEPOINT);
  }

  /** Deadlocks and serialization failures (PostgreSQL) succeed when tried again. */
  static boolean retryable(Throwable e) {
    for (Throwable t = e; t != null; t = t.getCause()) {
      if (t instanceof SQLException s
          && ("40P01".equals(s.getSQLState()) || "40001".equals(s.getSQLState()))) {
        return true;
      }
      if (t.getCause() == t) {
        break;
      }
    }
    return false;
  }

  /** Lets the queued work finish, then stops the writer. */
  @Override
  public void close() {
    closed = true;
    try {
      writer.join(10_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  private static final class Item<T> {
    final HandleCallback<T, ? extends Exception> work;
    final CompletableFuture<T> done = new CompletableFuture<>();
    T result;
    Exception error;
    int tries;

    Item(HandleCallback<T, ? extends Exception> work) {
      this.work = work;
    }

    void runOn(Handle h) throws Exception {
      result = work.withHandle(h);
    }

    void reset() {
      result = null;
      error = null;
    }

    void finish() {
      if (error != null) {
        done.completeExceptionally(error);
      } else {
        done.complete(result);
      }
    }
  }
}
