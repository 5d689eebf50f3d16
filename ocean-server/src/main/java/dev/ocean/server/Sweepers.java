package dev.ocean.server;

import dev.ocean.server.cluster.Cluster;
import dev.ocean.server.health.DataDirGuard;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The coordinator's timers: quota and idle sweeps, lost nodes, heartbeat writes, the data directory
 * check and idle heap. Each swallows and logs its failure so the next tick retries.
 */
final class Sweepers implements AutoCloseable {
  // logged under OceanServer, where operators' log settings already name these lines
  private static final Logger LOG = LoggerFactory.getLogger(OceanServer.class);

  private final Cluster cluster;
  private final ServiceGraph services;
  private final DataDirGuard guard;
  private final ScheduledExecutorService background;

  Sweepers(ServerConfig config, Cluster cluster, ServiceGraph services, DataDirGuard guard) {
    this.cluster = cluster;
    this.services = services;
    this.guard = guard;
    this.background =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofVirtual().name("ocean-sweeper").factory());
    long every = config.sweepInterval().toMillis();
    background.scheduleWithFixedDelay(this::sweepQuietly, every, every, TimeUnit.MILLISECONDS);
    long lostCheck = Math.max(100, Math.min(1000, config.nodeLostAfter().toMillis() / 4));
    background.scheduleWithFixedDelay(
        this::markLostQuietly, lostCheck, lostCheck, TimeUnit.MILLISECONDS);
    // on every server, leader or not: heartbeat times wait in memory until this writes them
    background.scheduleWithFixedDelay(
        this::flushLastSeenQuietly, lostCheck, lostCheck, TimeUnit.MILLISECONDS);
    long dataCheck = config.dataCheckInterval().toMillis();
    background.scheduleWithFixedDelay(
        this::checkDataQuietly, dataCheck, dataCheck, TimeUnit.MILLISECONDS);
    // the heap a burst of load grew is given back once the server is idle again
    var idleHeap = dev.ocean.server.health.IdleHeap.ofThisJvm();
    background.scheduleWithFixedDelay(idleHeap::checkQuietly, 15, 15, TimeUnit.SECONDS);
  }

  private void flushLastSeenQuietly() {
    try {
      services.nodes.flushLastSeen();
    } catch (RuntimeException e) {
      LOG.warn("writing heartbeat times failed; will retry", e);
    }
  }

  private void markLostQuietly() {
    if (!cluster.leadership().confirm()) {
      return;
    }
    try {
      services.nodes.markLost();
      services.jobs.failRunsOfDeadNodes();
    } catch (RuntimeException e) {
      LOG.warn("lost-node check failed; will retry", e);
    }
  }

  private void checkDataQuietly() {
    try {
      guard.check();
    } catch (RuntimeException e) {
      LOG.warn("data directory check failed; will retry", e);
    }
  }

  private void sweepQuietly() {
    if (!cluster.leadership().confirm()) {
      return;
    }
    try {
      services.sweep();
    } catch (RuntimeException e) {
      LOG.warn("periodic sweep failed; will retry", e);
    }
  }

  @Override
  public void close() {
    background.shutdownNow();
  }
}
