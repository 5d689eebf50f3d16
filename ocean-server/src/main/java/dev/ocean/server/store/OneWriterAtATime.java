package dev.ocean.server.store;

import java.sql.SQLException;
import java.util.concurrent.locks.ReentrantLock;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.HandleCallback;
import org.jdbi.v3.core.transaction.TransactionHandler;
import org.jdbi.v3.core.transaction.TransactionIsolationLevel;

/**
 * SQLite admits one writer at a time, and every Ocean transaction takes the write lock up front
 * ({@code BEGIN IMMEDIATE}). Left to SQLite, waiting transactions poll the lock with growing sleeps
 * (up to 100 ms each), so under load a transaction waits long after the lock was free and may even
 * starve past the busy timeout (a 500). This handler queues this server's transactions on one fair
 * lock instead: each starts as soon as the previous one ends, in arrival order. SQLite's busy
 * timeout still covers other processes (a backup).
 */
final class OneWriterAtATime implements TransactionHandler {
  private final ReentrantLock lock;
  private final TransactionHandler delegate;

  OneWriterAtATime(TransactionHandler delegate) {
    this(new ReentrantLock(true), delegate);
  }

  private OneWriterAtATime(ReentrantLock lock, TransactionHandler delegate) {
    this.lock = lock;
    this.delegate = delegate;
  }

  @Override
  public TransactionHandler specialize(Handle handle) throws SQLException {
    return new OneWriterAtATime(lock, delegate.specialize(handle));
  }

  @Override
  public <R, X extends Exception> R inTransaction(Handle handle, HandleCallback<R, X> callback)
      throws X {
    lock.lock();
    try {
      return delegate.inTransaction(handle, callback);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public <R, X extends Exception> R inTransaction(
      Handle handle, TransactionIsolationLevel level, HandleCallback<R, X> callback) throws X {
    lock.lock();
    try {
      return delegate.inTransaction(handle, level, callback);
    } finally {
      lock.unlock();
    }
  }

  @Override
  public void begin(Handle handle) {
    delegate.begin(handle);
  }

  @Override
  public void commit(Handle handle) {
    delegate.commit(handle);
  }

  @Override
  public void rollback(Handle handle) {
    delegate.rollback(handle);
  }

  @Override
  public boolean isInTransaction(Handle handle) {
    return delegate.isInTransaction(handle);
  }

  @Override
  public void savepoint(Handle handle, String name) {
    delegate.savepoint(handle, name);
  }

  @Override
  public void rollbackToSavepoint(Handle handle, String name) {
    delegate.rollbackToSavepoint(handle, name);
  }

  @Override
  public void releaseSavepoint(Handle handle, String name) {
    delegate.releaseSavepoint(handle, name);
  }
}
