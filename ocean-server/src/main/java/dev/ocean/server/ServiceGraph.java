package dev.ocean.server;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.api.User;
import dev.ocean.common.json.Json;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.autostop.IdleWatch;
import dev.ocean.server.autostop.QuotaStops;
import dev.ocean.server.autostop.StopperRef;
import dev.ocean.server.catalog.CatalogUse;
import dev.ocean.server.catalog.ImageService;
import dev.ocean.server.catalog.MachineTypeService;
import dev.ocean.server.cluster.Cluster;
import dev.ocean.server.cluster.HeardAnywhere;
import dev.ocean.server.http.Bodies;
import dev.ocean.server.instance.InstanceService;
import dev.ocean.server.job.AgentWork;
import dev.ocean.server.job.JobCountsView;
import dev.ocean.server.job.JobService;
import dev.ocean.server.job.JobStore;
import dev.ocean.server.job.SchedulerLoop;
import dev.ocean.server.job.Signals;
import dev.ocean.server.job.WaitBoard;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.metrics.ClusterMetrics;
import dev.ocean.server.node.MetricsHistory;
import dev.ocean.server.node.NodeDirectory;
import dev.ocean.server.node.NodeService;
import dev.ocean.server.quota.QuotaLedger;
import dev.ocean.server.quota.QuotaService;
import dev.ocean.server.store.Database;
import dev.ocean.server.tunnel.SqlTunnelTargets;
import dev.ocean.server.tunnel.TunnelBroker;
import dev.ocean.server.user.PasswordHasher;
import dev.ocean.server.user.Tokens;
import dev.ocean.server.user.UserService;
import dev.ocean.server.user.Withdrawal;
import dev.ocean.server.volume.VolumeService;
import dev.ocean.server.web.ChangeFeed;
import dev.ocean.server.workload.WorkloadTokens;
import java.io.PrintStream;
import java.nio.file.Path;
import java.time.Clock;
import org.jdbi.v3.core.Jdbi;

/**
 * The coordinator's services over one database, constructed in dependency order and wired to each
 * other (queue kicks, withdrawals on disable, idle and quota stops, tunnels).
 */
final class ServiceGraph {
  final Jdbi jdbi;
  final Clock clock;
  final ObjectMapper mapper;
  final Bodies bodies;
  final AuditLog audit;
  final UserService users;
  final MachineTypeService machineTypes;
  final ImageService images;
  final QuotaService quotas;
  final VolumeService volumes;
  final NodeService nodes;
  final Signals signals;
  final LogStore logStore;
  final JobService jobs;
  final SchedulerLoop scheduler;
  final InstanceService instances;
  final WorkloadTokens workloadTokens;
  final AgentWork agentWork;
  final StopperRef stopper;
  final IdleWatch idle;
  final QuotaStops quotaStops;
  final TunnelBroker tunnels;
  final NodeDirectory directory;
  final ClusterMetrics metrics;
  final ChangeFeed changes;

  ServiceGraph(ServerConfig config, Database database, Cluster cluster, PrintStream out) {
    this.jdbi = database.jdbi();
    this.clock = config.clock();
    this.mapper = Json.newMapper();
    this.bodies = new Bodies(mapper);
    this.audit = new AuditLog(jdbi, clock);
    this.users =
        new UserService(
            jdbi,
            clock,
            new PasswordHasher(config.bcryptCost()),
            audit,
            config.signupMode(),
            new UserService.Policy(config.tokenTtl(), config.signupsPerHour()));
    var catalogUse = new CatalogUse();
    this.machineTypes = new MachineTypeService(jdbi, clock, audit, catalogUse);
    this.images = new ImageService(jdbi, clock, audit, catalogUse);
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
    this.signals = new Signals();
    var waitBoard = new WaitBoard();
    var jobStore = new JobStore(mapper);
    catalogUse.register(jobStore::activeUser);
    Path logRoot = config.dataDir().resolve("logs");
    this.logStore =
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
    jobs.onSubmission(() -> cluster.kickEverywhere(scheduler::kickSoon));
    nodes.onChange(() -> cluster.kickEverywhere(scheduler::kick));
    nodes.onLost(jobs::nodeLost);
    jobs.instanceGrace(config.instanceGrace());
    long startedAt = clock.millis();
    jobs.graceFrom(() -> startedAt); // the server's downtime counts against no instance
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
    this.agentWork =
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
    // On a shared database an agent may talk to another server: its heartbeat there counts.
    java.util.function.Predicate<String> heard =
        cluster.shared()
            ? new HeardAnywhere(jdbi, nodes::heardSinceStart, clock.millis())
            : nodes::heardSinceStart;
    this.directory =
        new NodeDirectory(jdbi, mapper, history, () -> scheduler::holders)
            .notHeardSince(clock.millis(), heard);
    this.metrics =
        new ClusterMetrics(directory, () -> new JobCountsView(jdbi), config.metricsToken());
    bootstrapAdmin(config, out);
    nodes.startupGrace();
    this.changes = new ChangeFeed(jdbi);
    scheduler.placeOnlyOnNodesHeardFrom(heard);
  }

  /** The periodic work: quota expiry and the stops it causes, workload tokens, idle stop. */
  void sweep() {
    quotas.expireDue();
    quotaStops.sweep();
    workloadTokens.revokeEnded();
    idle.sweep();
  }

  private void bootstrapAdmin(ServerConfig config, PrintStream out) {
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
}
