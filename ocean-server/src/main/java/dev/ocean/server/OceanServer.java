package dev.ocean.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.User;
import dev.ocean.common.json.Json;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.autostop.IdleController;
import dev.ocean.server.autostop.IdleExtend;
import dev.ocean.server.autostop.IdleWatch;
import dev.ocean.server.autostop.InstanceStopper;
import dev.ocean.server.autostop.QuotaStops;
import dev.ocean.server.autostop.StopperRef;
import dev.ocean.server.backup.BackupController;
import dev.ocean.server.catalog.CatalogController;
import dev.ocean.server.catalog.CatalogUse;
import dev.ocean.server.catalog.ImageService;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.cluster.Cluster;
import dev.ocean.server.cluster.HeardAnywhere;
import dev.ocean.server.cluster.Leadership;
import dev.ocean.server.health.DataDirGuard;
import dev.ocean.server.health.HealthController;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import dev.ocean.server.http.ErrorMapper;
import dev.ocean.server.http.JettyProblems;
import dev.ocean.server.http.PlainHttp;
import dev.ocean.server.http.Routes;
import dev.ocean.server.http.Tls;
import dev.ocean.server.instance.InstanceController;
import dev.ocean.server.instance.InstanceService;
import dev.ocean.server.job.AgentWork;
import dev.ocean.server.job.JobController;
import dev.ocean.server.job.JobCountsView;
import dev.ocean.server.job.JobService;
import dev.ocean.server.job.JobStore;
import dev.ocean.server.job.RunLogs;
import dev.ocean.server.job.SchedulerLoop;
import dev.ocean.server.job.Signals;
import dev.ocean.server.job.WaitBoard;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.metrics.ClusterMetrics;
import dev.ocean.server.node.MetricsHistory;
import dev.ocean.server.node.NodeController;
import dev.ocean.server.node.NodeDirectory;
import dev.ocean.server.node.NodeService;
import dev.ocean.server.quota.QuotaController;
import dev.ocean.server.quota.QuotaLedger;
import dev.ocean.server.quota.QuotaRequestService;
import dev.ocean.server.quota.QuotaService;
import dev.ocean.server.sshkey.SshKeyController;
import dev.ocean.server.sshkey.SshKeyService;
import dev.ocean.server.store.Database;
import dev.ocean.server.tunnel.SqlTunnelTargets;
import dev.ocean.server.tunnel.TunnelBroker;
import dev.ocean.server.tunnel.TunnelRoutes;
import dev.ocean.server.user.PasswordHasher;
import dev.ocean.server.user.Tokens;
import dev.ocean.server.user.UserController;
import dev.ocean.server.user.UserService;
import dev.ocean.server.user.Withdrawal;
import dev.ocean.server.volume.VolumeController;
import dev.ocean.server.volume.VolumeService;
import dev.ocean.server.volume.VolumeUsage;
import dev.ocean.server.web.ChangeFeed;
import dev.ocean.server.web.EventsController;
import dev.ocean.server.web.GpuHoursController;
import dev.ocean.server.web.LogEvents;
import dev.ocean.server.web.SessionController;
import dev.ocean.server.web.WebAssets;
import dev.ocean.server.web.WebUi;
import dev.ocean.server.workload.WorkloadTokens;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** A running coordinator: database, services, background sweepers and the HTTP API. */
public final class OceanServer implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(OceanServer.class);

  private final ServerConfig config;
  private final Database database;
  private final Javalin app;
  private final ScheduledExecutorService background;
  private final QuotaService quotas;
  private final UserService users;
  private final NodeService nodes;
  private final ClusterMetrics metrics;
  private final JobService jobs;
  private final SchedulerLoop scheduler;
  private final VolumeService volumes;
  private final InstanceService instances;
  private final List<Routes.Route> routes;
  private final WorkloadTokens workloadTokens;
  private final IdleWatch idle;
  private final QuotaStops quotaStops;
  private final StopperRef stopper;
  private final TunnelBroker tunnels;

  /** The largest request body any route accepts; a larger one is answered 413. */
  public static final int MAX_BODY_BYTES = 1024 * 1024;

  private final DataDirGuard guard;
  private final ChangeFeed changes;
  private final Cluster cluster;

  private OceanServer(ServerConfig config, PrintStream out) throws IOException {
    this.config = config;
    Tls tls = config.tls() ? Tls.load(config.tlsCert(), config.tlsKey()) : null;
    prepareDirectory(config.dataDir());
    Files.createDirectories(config.storageDir());
    // agents check for it before they put volume data under their --storage
    dev.ocean.common.files.StorageMarker.ensure(config.storageDir());
    dev.ocean.server.volume.VolumeFolders.openStoragePath(config.storageDir(), config.dataDir());
    if (config.dbUrl() == null) {
      preparePrivateFile(config.dataDir().resolve("ocean.db"));
    }
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
    this.guard =
        new DataDirGuard(
            config.dataDir(), config.dbUrl() == null ? config.dataDir().resolve("ocean.db") : null);
    var jdbi = database.jdbi();
    var clock = config.clock();
    ObjectMapper mapper = Json.newMapper();
    var bodies = new Bodies(mapper);
    var audit = new AuditLog(jdbi, clock);
    this.users =
        new UserService(
            jdbi,
            clock,
            new PasswordHasher(config.bcryptCost()),
            audit,
            config.signupMode(),
            new UserService.Policy(config.tokenTtl(), config.signupsPerHour()));
    var catalogUse = new CatalogUse();
    var machineTypes = new MachineTypeService(jdbi, clock, audit, catalogUse);
    var images = new ImageService(jdbi, clock, audit, catalogUse);
    var ledger = new QuotaLedger(clock);
    this.quotas = new QuotaService(jdbi, clock, audit, machineTypes, ledger);
    this.volumes = new VolumeService(jdbi, clock, audit, config.storageDir());
    var history = new MetricsHistory(config.metricsSamples());
    this.nodes =
        new NodeService(
            jdbi,
            database.writes(),
            clock,
            audit,
            mapper,
            history,
            config.nodeLostAfter(),
            config.heartbeatSeconds());
    var signals = new Signals();
    var waitBoard = new WaitBoard();
    var jobStore = new JobStore(mapper);
    catalogUse.register(jobStore::activeUser);
    Path logRoot = config.dataDir().resolve("logs");
    var logStore =
        cluster.shared()
            ? LogStore.inDatabase(logRoot, signals, jdbi)
            : new LogStore(logRoot, signals);
    this.jobs =
        new JobService(
            jdbi,
            database.writes(),
            clock,
            audit,
            jobStore,
            machineTypes,
            images,
            volumes,
            ledger,
            signals,
            waitBoard,
            logStore);
    this.scheduler =
        new SchedulerLoop(jdbi, clock, mapper, signals, waitBoard, jobs)
            .ledBy(cluster.leadership())
            .preferIdleGpus(history);
    jobs.onQueueChange(() -> cluster.kickEverywhere(scheduler::kick));
    nodes.onChange(() -> cluster.kickEverywhere(scheduler::kick));
    nodes.onLost(jobs::nodeLost);
    jobs.instanceGrace(config.instanceGrace());
    quotas.addReclaimer(jobs::reclaim);
    this.instances =
        new InstanceService(
            jdbi, clock, audit, machineTypes, images, volumes, ledger, jobs.instanceJobs());
    var follower = instances.follower();
    jobs.instances(follower);
    catalogUse.register(InstanceService::activeUser);
    users.withdrawOnDisable(
        (userId, actor) -> {
          var cancelled = jobs.cancelAllOf(userId, Withdrawal.OWNER_DISABLED, actor);
          int stopped = instances.stopAllOf(userId, Withdrawal.OWNER_DISABLED, actor);
          return new User.Withdrawn(cancelled.jobs(), cancelled.runs(), stopped);
        });
    this.workloadTokens = new WorkloadTokens(jdbi, clock);
    users.acceptWorkloadTokens(workloadTokens::authenticate);
    var agentWork =
        new AgentWork(jdbi, database.writes(), jobStore, signals)
            .instances(follower)
            .withRunEnv(workloadTokens::env);
    this.stopper = new StopperRef(instances::stopFor);
    this.idle = new IdleWatch(jdbi, clock, history, stopper);
    this.quotaStops = new QuotaStops(jdbi, ledger, stopper);
    instances.idleOutlookFrom(idle::outlook);
    this.tunnels =
        new TunnelBroker(new SqlTunnelTargets(jdbi), signals, clock, config.tunnelAnswerWithin());
    agentWork.handTunnelsFrom(tunnels::take);
    var directory = new NodeDirectory(jdbi, mapper, history, () -> scheduler::holders);
    this.metrics =
        new ClusterMetrics(directory, () -> new JobCountsView(jdbi), config.metricsToken());
    bootstrapAdmin(out);
    nodes.startupGrace();
    this.changes = new ChangeFeed(jdbi);
    // On a shared database an agent may talk to another server: its heartbeat there counts.
    scheduler.placeOnlyOnNodesHeardFrom(
        cluster.shared()
            ? new HeardAnywhere(jdbi, nodes::heardSinceStart, clock.millis())
            : nodes::heardSinceStart);

    var controllers =
        new Routes.Controllers(
            new UserController(users, bodies),
            new CatalogController(machineTypes, images, bodies),
            new QuotaController(
                quotas, new QuotaRequestService(jdbi, clock, audit, machineTypes, quotas), bodies),
            new VolumeController(volumes, bodies),
            new NodeController(nodes, directory, bodies),
            new JobController(jobs, agentWork, logStore, signals, bodies),
            metrics,
            audit,
            new HealthController(guard),
            new BackupController(database, config.dataDir(), logStore.root(), clock),
            new InstanceController(instances, new RunLogs(logStore, signals), bodies),
            new SshKeyController(new SshKeyService(jdbi, clock, audit), bodies),
            new IdleController(new IdleExtend(jdbi, clock, audit, idle), idle, bodies),
            new WebUi(
                new WebAssets(),
                new SessionController(users, bodies),
                new EventsController(changes),
                new LogEvents(jobs, logStore, signals, mapper),
                new GpuHoursController(jdbi, clock)));
    var auth = new Auth(users, nodes::authenticate);
    var errors = new ErrorMapper(mapper);
    var jettyErrors = new JettyProblems(mapper);
    this.routes = Routes.table(controllers);
    this.app =
        Javalin.create(
            c -> {
              c.concurrency.useVirtualThreads = true;
              c.startup.showJavalinBanner = false;
              c.http.maxRequestSize = MAX_BODY_BYTES;
              c.jetty.modifyServer(server -> server.setErrorHandler(jettyErrors.server()));
              c.jetty.modifyServletContextHandler(h -> h.setErrorHandler(jettyErrors.servlet()));
              c.jsonMapper(new JavalinJackson(mapper, true));
              c.requestLogger.http(metrics::observe);
              if (tls != null) {
                // Javalin adds its plain HTTP connector only when none is configured.
                c.jetty.addConnector(
                    (server, http) -> tls.connector(server, http, config.host(), config.port()));
              }
              errors.register(c.routes);
              Routes.register(c.routes, auth, bodies, controllers, routes);
              c.routes.beforeMatched(ctx -> controllers.idle().noticesBeforeRead(ctx));
              c.routes.afterMatched(ctx -> controllers.idle().notices(ctx));
              TunnelRoutes.register(
                  c.routes, auth, errors, ctx -> controllers.nodes().checkProtocol(ctx), tunnels);
            });
    try {
      app.start(config.host(), config.port());
      readLargeBodiesInLargeBuffers();
    } catch (RuntimeException e) {
      // e.g. the port is taken: the database (and a SQLite file's lock) is left to the next try
      cluster.close();
      database.close();
      throw e;
    }
    PlainHttp.warning(config.host(), tls != null).ifPresent(System.err::println);
    scheduler.start();
    cluster.start(signals, scheduler::kick);
    volumes.usage().start(VolumeUsage.REFRESH);
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
    LOG.info("Ocean server listening on port {} (data in {})", port(), config.dataDir());
  }

  /**
   * Agents ship log chunks of up to 1 MiB: reading them 64 KiB at a time rather than Jetty's 8 KiB
   * cuts the reads, wake-ups and thread hand-offs per chunk eightfold. Applies to connections
   * accepted from now on, which is all of them.
   */
  private void readLargeBodiesInLargeBuffers() {
    for (var connector : app.jettyServer().server().getConnectors()) {
      var http =
          connector.getConnectionFactory(org.eclipse.jetty.server.HttpConnectionFactory.class);
      if (http != null) {
        http.setInputBufferSize(64 * 1024);
      }
    }
  }

  /** Starts a server; the admin password, when generated, is printed once to {@code out}. */
  public static OceanServer start(ServerConfig config, PrintStream out) throws IOException {
    return new OceanServer(config, out);
  }

  public int port() {
    return app.port();
  }

  /** The base URL clients on this machine use. */
  public String url() {
    return (config.tls() ? "https" : "http") + "://127.0.0.1:" + port();
  }

  /** Runs the periodic work now (quota expiry), so tests need not wait for the timer. */
  public void sweepNow() {
    quotas.expireDue();
    quotaStops.sweep();
    workloadTokens.revokeEnded();
    idle.sweep();
  }

  /** Every route the server answers, with its role (for the generated authorization tests). */
  public List<Routes.Route> routes() {
    return routes;
  }

  /** Idle stop: the sweep, the outlook for the instance view. */
  public IdleWatch idle() {
    return idle;
  }

  /**
   * How idle and quota sweeps stop instances; tests wrap the instance service's stop to see them.
   */
  public void stopInstancesWith(InstanceStopper s) {
    stopper.use(s);
  }

  public QuotaService quotas() {
    return quotas;
  }

  public UserService users() {
    return users;
  }

  public Database database() {
    return database;
  }

  /** Whether this server schedules and runs the timers now (always, alone on SQLite). */
  public boolean leads() {
    return cluster.leadership().leading();
  }

  private void flushLastSeenQuietly() {
    try {
      nodes.flushLastSeen();
    } catch (RuntimeException e) {
      LOG.warn("writing heartbeat times failed; will retry", e);
    }
  }

  private void markLostQuietly() {
    if (!cluster.leadership().confirm()) {
      return;
    }
    try {
      nodes.markLost();
      jobs.failRunsOfDeadNodes();
    } catch (RuntimeException e) {
      LOG.warn("lost-node check failed; will retry", e);
    }
  }

  /** Volumes, with the usage measurements tests refresh without waiting for the timer. */
  public VolumeService volumes() {
    return volumes;
  }

  private void checkDataQuietly() {
    try {
      guard.check();
    } catch (RuntimeException e) {
      LOG.warn("data directory check failed; will retry", e);
    }
  }

  public JobService jobs() {
    return jobs;
  }

  /** Instances, for tests and the parts that stop them (idle stop, quota expiry). */
  public InstanceService instances() {
    return instances;
  }

  public SchedulerLoop scheduler() {
    return scheduler;
  }

  public NodeService nodes() {
    return nodes;
  }

  private void sweepQuietly() {
    if (!cluster.leadership().confirm()) {
      return;
    }
    try {
      sweepNow();
    } catch (RuntimeException e) {
      LOG.warn("periodic sweep failed; will retry", e);
    }
  }

  private void bootstrapAdmin(PrintStream out) {
    if (config.adminEmail() == null || config.adminEmail().isBlank()) {
      return;
    }
    boolean generated = config.adminPassword() == null || config.adminPassword().isEmpty();
    String password = generated ? Tokens.newPassword() : config.adminPassword();
    dev.ocean.common.validation.Rules.password(password)
        .ifPresent(
            p -> {
              throw new IllegalArgumentException("OCEAN_ADMIN_PASSWORD is not acceptable: " + p);
            });
    if (users.ensureAdmin(config.adminEmail(), password) && generated) {
      out.println("Created admin account " + config.adminEmail() + " with password: " + password);
      out.println("This password is shown only once; change it after logging in.");
    }
  }

  /**
   * The data directory holds password hashes and every user's logs: created owner-only, and a
   * looser existing one is reported rather than silently changed (it may be shared on purpose).
   */
  /** SQLite gives its WAL and shared-memory files the database file's mode: owner only. */
  private static void preparePrivateFile(Path file) throws IOException {
    if (!Files.exists(file)) {
      try {
        Files.createFile(
            file,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      } catch (UnsupportedOperationException e) {
        Files.createFile(file);
      }
    }
  }

  private static void prepareDirectory(Path dir) throws IOException {
    try {
      if (!Files.exists(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      } else if (Files.getPosixFilePermissions(dir).stream()
          .anyMatch(
              p ->
                  (p.name().startsWith("GROUP") || p.name().startsWith("OTHERS"))
                      && !p.name().endsWith("EXECUTE"))) {
        // passing through (x) is fine: jobs run as other accounts reach their volumes that way
        LOG.warn("data directory {} is readable by other users; chmod 700 it", dir);
      }
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  @Override
  public void close() {
    background.shutdownNow();
    changes.close();
    volumes.usage().close();
    scheduler.close();
    tunnels.close();
    app.stop();
    try {
      nodes.flushLastSeen(); // so `node list` shows them after a restart
    } catch (RuntimeException e) {
      LOG.debug("heartbeat times not written at shutdown", e);
    }
    cluster.close();
    database.close();
  }
}
