package dev.ocean.server;

import dev.ocean.server.autostop.IdleController;
import dev.ocean.server.autostop.IdleExtend;
import dev.ocean.server.backup.BackupController;
import dev.ocean.server.catalog.CatalogController;
import dev.ocean.server.health.DataDirGuard;
import dev.ocean.server.health.HealthController;
import dev.ocean.server.http.AgentGate;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.ErrorMapper;
import dev.ocean.server.http.JettyProblems;
import dev.ocean.server.http.Routes;
import dev.ocean.server.http.Tls;
import dev.ocean.server.instance.InstanceController;
import dev.ocean.server.job.JobController;
import dev.ocean.server.job.RunLogs;
import dev.ocean.server.node.NodeController;
import dev.ocean.server.quota.QuotaController;
import dev.ocean.server.quota.QuotaRequestService;
import dev.ocean.server.sshkey.SshKeyController;
import dev.ocean.server.sshkey.SshKeyService;
import dev.ocean.server.store.Database;
import dev.ocean.server.tunnel.TunnelRoutes;
import dev.ocean.server.user.UserController;
import dev.ocean.server.volume.VolumeController;
import dev.ocean.server.web.EventsController;
import dev.ocean.server.web.GpuHoursController;
import dev.ocean.server.web.LogEvents;
import dev.ocean.server.web.SessionController;
import dev.ocean.server.web.WebAssets;
import dev.ocean.server.web.WebUi;
import io.javalin.Javalin;
import io.javalin.json.JavalinJackson;
import java.util.List;

/** The HTTP side of the coordinator: controllers over the services, the route table, Javalin. */
final class HttpApi {
  final List<Routes.Route> routes;
  final Javalin app;
  final AgentGate agentGate;

  HttpApi(ServerConfig config, Tls tls, Database database, DataDirGuard guard, ServiceGraph s) {
    var jdbi = s.jdbi;
    var clock = s.clock;
    var bodies = s.bodies;
    var runLogs = new RunLogs(s.logStore, s.signals, jdbi);
    var controllers =
        new Routes.Controllers(
            new UserController(s.users, bodies),
            new CatalogController(s.machineTypes, s.images, bodies),
            new QuotaController(
                s.quotas,
                new QuotaRequestService(jdbi, clock, s.audit, s.machineTypes, s.quotas),
                bodies),
            new VolumeController(s.volumes, bodies),
            new NodeController(s.nodes, s.directory, bodies),
            new JobController(s.jobs, s.agentWork, s.logStore, s.signals, runLogs, bodies),
            s.metrics,
            s.audit,
            new HealthController(guard),
            new BackupController(database, config.dataDir(), s.logStore.root(), clock),
            new InstanceController(s.instances, runLogs, bodies),
            new SshKeyController(new SshKeyService(jdbi, clock, s.audit), bodies),
            new IdleController(new IdleExtend(jdbi, clock, s.audit, s.idle), s.idle, bodies),
            new WebUi(
                new WebAssets(),
                new SessionController(s.users, bodies),
                new EventsController(s.changes),
                new LogEvents(s.jobs, s.logStore, s.signals, s.mapper, runLogs),
                new GpuHoursController(jdbi, clock)));
    var auth = new Auth(s.users, s.nodes::authenticate);
    var errors = new ErrorMapper(s.mapper);
    var jettyErrors = new JettyProblems(s.mapper);
    // a refused agent comes back at about its next heartbeat's time
    this.agentGate =
        new AgentGate(
            config.agentRequests(), config.heartbeatSeconds(), s.nodes::heardThoughRefused);
    this.routes = Routes.table(controllers);
    this.app =
        Javalin.create(
            c -> {
              c.concurrency.useVirtualThreads = true;
              c.startup.showJavalinBanner = false;
              c.http.maxRequestSize = OceanServer.MAX_BODY_BYTES;
              c.jetty.modifyServer(server -> server.setErrorHandler(jettyErrors.server()));
              c.jetty.modifyServletContextHandler(
                  h -> {
                    h.setErrorHandler(jettyErrors.servlet());
                    h.addFilter(
                        agentGate,
                        AgentGate.pathSpec(),
                        java.util.EnumSet.of(jakarta.servlet.DispatcherType.REQUEST));
                  });
              c.jsonMapper(new JavalinJackson(s.mapper, true));
              c.requestLogger.http(s.metrics::observe);
              // Javalin adds its plain HTTP connector only when none is configured; ours waits
              // with a long accept queue (below).
              c.jetty.addConnector(
                  (server, http) -> {
                    noHeaderCache(http);
                    return longAcceptQueue(
                        tls != null
                            ? tls.connector(server, http, config.host(), config.port())
                            : plain(server, http, config.host(), config.port()));
                  });
              errors.register(c.routes);
              Routes.register(c.routes, auth, bodies, controllers, routes);
              c.routes.beforeMatched(ctx -> controllers.idle().noticesBeforeRead(ctx));
              c.routes.afterMatched(ctx -> controllers.idle().notices(ctx));
              TunnelRoutes.register(
                  c.routes, auth, errors, ctx -> controllers.nodes().checkProtocol(ctx), s.tunnels);
            });
  }

  /**
   * Thousands of agents (re)connect at once: with Java's default backlog of 50 the kernel dropped
   * their connection attempts, which it retries after 1, 3, 7, 15 s..., so heartbeats arrived past
   * the lost timeout and thousands of nodes were marked lost in the middle of a drain.
   */
  private static org.eclipse.jetty.server.ServerConnector longAcceptQueue(
      org.eclipse.jetty.server.ServerConnector connector) {
    connector.setAcceptQueueSize(ACCEPT_QUEUE);
    return connector;
  }

  /**
   * Jetty keeps a cache of header fields per connection, built from the second request on: a trie
   * of 1,024 rows, 96 KiB of char[] per connection. With thousands of agents connected at once
   * (6,000 requests in a surge of 10,000 heartbeats) it filled the 512 MiB heap and the server
   * exited on OutOfMemoryError; without it a header costs a few more string compares.
   */
  private static void noHeaderCache(org.eclipse.jetty.server.HttpConfiguration http) {
    http.setHeaderCacheSize(0);
  }

  /** Connections waiting to be accepted (the kernel caps it at {@code net.core.somaxconn}). */
  static final int ACCEPT_QUEUE = 4096;

  private static org.eclipse.jetty.server.ServerConnector plain(
      org.eclipse.jetty.server.Server server,
      org.eclipse.jetty.server.HttpConfiguration http,
      String host,
      int port) {
    var connector =
        new org.eclipse.jetty.server.ServerConnector(
            server, new org.eclipse.jetty.server.HttpConnectionFactory(http));
    connector.setHost(host);
    connector.setPort(port);
    return connector;
  }

  /** Listens on the configured host and port. */
  void start(ServerConfig config) {
    app.start(config.host(), config.port());
    readLargeBodiesInLargeBuffers();
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
}
