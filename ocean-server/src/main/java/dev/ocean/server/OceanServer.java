package dev.ocean.server;

import dev.ocean.server.autostop.IdleWatch;
import dev.ocean.server.autostop.InstanceStopper;
import dev.ocean.server.cluster.Cluster;
import dev.ocean.server.cluster.Leadership;
import dev.ocean.server.health.DataDirGuard;
import dev.ocean.server.health.DatabaseProbe;
import dev.ocean.server.http.PlainHttp;
import dev.ocean.server.http.Routes;
import dev.ocean.server.http.Tls;
import dev.ocean.server.instance.InstanceService;
import dev.ocean.server.job.JobService;
import dev.ocean.server.job.SchedulerLoop;
import dev.ocean.server.node.NodeService;
import dev.ocean.server.quota.QuotaService;
import dev.ocean.server.store.Database;
import dev.ocean.server.user.UserService;
import dev.ocean.server.volume.VolumeService;
import dev.ocean.server.volume.VolumeUsage;
import java.io.IOException;
import java.io.PrintStream;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running coordinator: database, services, background sweepers and the HTTP API. */
public final class OceanServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OceanServer.class);

  /** The largest request body any route accepts; a larger one is answered 413. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private final ServerConfig config;
  private final Database database;
  private final DatabaseProbe probe;
  private final Cluster cluster;
  private final ServiceGraph services;
  private final HttpApi http;
  private final Sweepers sweepers;

  private OceanServer(ServerConfig config, PrintStream out) throws IOException {
    this.config = config;
    Tls tls = config.tls() ? Tls.load(config.tlsCert(), config.tlsKey()) : null;
    DataDirectory.prepare(config);
    String url = config.dbUrl() != null ? config.dbUrl() : Database.sqliteUrl(config.dataDir());
    Leadership claimed = Cluster.claim(url);
    try {
      this.database = Database.open(url);
    } catch (RuntimeException e) {
      if (claimed != null) {
        claimed.close();
      }
      throw e;
    }
    this.cluster = Cluster.on(database, claimed);
    this.probe = new DatabaseProbe(database, url);
    var guard =
        new DataDirGuard(
            config.dataDir(),
            config.dbUrl() == null ? config.dataDir().resolve("ocean.db") : null,
            database.dialect() == Database.Dialect.POSTGRES ? probe : () -> null);
    this.services = new ServiceGraph(config, database, cluster, out);
    this.http = new HttpApi(config, tls, database, guard, services);
    try {
      http.start(config);
    } catch (RuntimeException e) {
      // e.g. the port is taken: the database (and a SQLite file's lock) is left to the next try
      cluster.close();
      database.close();
      throw e;
    }
    PlainHttp.warning(config.host(), tls != null).ifPresent(System.err::println);
    if (tls != null) {
      tls.validityWarning(java.time.Instant.now()).ifPresent(System.err::println);
    }
    services.scheduler.start();
    cluster.start(services.signals, services.scheduler::kick);
    services.volumes.usage().start(VolumeUsage.REFRESH);
    this.sweepers = new Sweepers(config, cluster, services, guard);
    LOG.info("Ocean server listening on port {} (data in {})", port(), config.dataDir());
  }

  /** Starts a server; the admin password, when generated, is printed once to {@code out}. */
  public static OceanServer start(ServerConfig config, PrintStream out) throws IOException {
    return new OceanServer(config, out);
  }

  public int port() {
    return http.app.port();
  }

  /** The base URL clients on this machine use. */
  /** Agent requests refused as busy since start ({@link dev.ocean.server.http.AgentGate}). */
  public long agentRequestsRefused() {
    return http.agentGate.refused();
  }

  public String url() {
    return (config.tls() ? "https" : "http") + "://127.0.0.1:" + port();
  }

  /** Runs the periodic work now (quota expiry), so tests need not wait for the timer. */
  public void sweepNow() {
    services.sweep();
  }

  /** Every route the server answers, with its role (for the generated authorization tests). */
  public List<Routes.Route> routes() {
    return http.routes;
  }

  /** Idle stop: the sweep, the outlook for the instance view. */
  public IdleWatch idle() {
    return services.idle;
  }

  /**
   * How idle and quota sweeps stop instances; tests wrap the instance service's stop to see them.
   */
  public void stopInstancesWith(InstanceStopper s) {
    services.stopper.use(s);
  }

  public QuotaService quotas() {
    return services.quotas;
  }

  public UserService users() {
    return services.users;
  }

  public Database database() {
    return database;
  }

  /** Whether this server schedules and runs the timers now (always, alone on SQLite). */
  public boolean leads() {
    return cluster.leadership().leading();
  }

  /** Volumes, with the usage measurements tests refresh without waiting for the timer. */
  public VolumeService volumes() {
    return services.volumes;
  }

  public JobService jobs() {
    return services.jobs;
  }

  /** Instances, for tests and the parts that stop them (idle stop, quota expiry). */
  public InstanceService instances() {
    return services.instances;
  }

  public SchedulerLoop scheduler() {
    return services.scheduler;
  }

  public NodeService nodes() {
    return services.nodes;
  }

  @Override
  public void close() {
    sweepers.close();
    services.changes.close();
    services.volumes.usage().close();
    services.scheduler.close();
    services.tunnels.close();
    http.app.stop();
    try {
      services.nodes.flushLastSeen(); // so `node list` shows them after a restart
    } catch (RuntimeException e) {
      LOG.debug("heartbeat times not written at shutdown", e);
    }
    probe.close();
    cluster.close();
    database.close();
  }
}
