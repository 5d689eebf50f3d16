package dev.ocean.server.cluster;

import java.util.function.Consumer;

/**
 * Wake-ups between the servers of a cluster: a key published on one server (a node's work, a run's
 * log, a job's end, a scheduling kick) is delivered on every other server, so a long poll or a
 * {@code logs -f} held on one server wakes for what happened on another. On SQLite there is one
 * server and nothing to carry ({@link #none()}); on PostgreSQL it is LISTEN/NOTIFY ({@link
 * PostgresBus}).
 */
public interface ClusterBus extends AutoCloseable {
  /** The key that asks the leader for a scheduling pass. */
  String KICK = "scheduler:kick";

  /** Sends {@code key} to the other servers (soon, batched; never blocks the caller). */
  void publish(String key);

  /**
   * Starts delivering the keys other servers publish to {@code deliver}; once it listens, and again
   * after every break in the connection, it delivers {@code null}, meaning "anything may have
   * happened" (keys published before it listened are not delivered).
   */
  void start(Consumer<String> deliver);

  @Override
  void close();

  static ClusterBus none() {
    return new ClusterBus() {
      @Override
      public void publish(String key) {}

      @Override
      public void start(Consumer<String> deliver) {}

      @Override
      public void close() {}
    };
  }
}
