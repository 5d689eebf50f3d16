package dev.ocean.cli.cluster;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.Config;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanClient;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.TreeSet;

/**
 * Keeps {@code ocean up --reset} from deleting a cluster whose runs still run: their processes (or
 * containers) would outlive it, unowned, with nothing left in Ocean that could stop them (qa7 K14).
 * As {@code ocean down} does, it names them; unlike {@code down}, it refuses (exit 5) until they
 * are cancelled.
 */
final class ResetGuard {
  private ResetGuard() {}

  /**
   * Refuses while process runs recorded under the agent's state still run, or while the cluster's
   * server at {@code url} (when it is up and its admin can log in) has running jobs.
   */
  static void refuseWhileRunsRun(LocalCluster cluster, Config config, String url) {
    TreeSet<Long> jobs = new TreeSet<>();
    for (String run : SurvivingRuns.under(cluster.agentState())) {
      jobs.add(Long.parseLong(run.substring(0, run.indexOf('/'))));
    }
    refuse(jobs, admin(cluster, config, url));
  }

  /**
   * Refuses while {@code jobs} run, or while the cluster's admin client (when there is one) names
   * running jobs or instances: an instance's container, like a job's processes, would outlive the
   * data with nothing left to stop it, still holding its node's CPUs and its published ports (qa11
   * T2). Refused rather than stopped: an instance is a user's session, which an admin ends on
   * purpose with {@code ocean instance delete}, not as a side effect of starting over.
   */
  static void refuse(TreeSet<Long> jobs, Optional<OceanClient> admin) {
    List<Instance> instances = new ArrayList<>();
    admin.ifPresent(
        client -> {
          jobs.addAll(runningJobs(client));
          instances.addAll(runningInstances(client));
        });
    if (jobs.isEmpty() && instances.isEmpty()) {
      return;
    }
    String ids = String.join(" ", jobs.stream().map(String::valueOf).toList());
    if (instances.isEmpty()) {
      boolean one = jobs.size() == 1;
      throw new CliException(
          ExitCodes.CONFLICT,
          (one ? "job " : "jobs ")
              + ids
              + (one ? " is" : " are")
              + " still running on this cluster, and --reset would leave "
              + (one ? "its processes" : "their processes")
              + " running with nothing to stop them; `ocean job cancel "
              + ids
              + "` first (after `ocean up` if the cluster is down), then `ocean up --reset`");
    }
    List<String> what = new ArrayList<>();
    List<String> commands = new ArrayList<>();
    if (!jobs.isEmpty()) {
      what.add((jobs.size() == 1 ? "job " : "jobs ") + ids);
      commands.add("`ocean job cancel " + ids + "`");
    }
    for (Instance i : instances) {
      what.add("instance " + i.name() + " of " + i.user());
      commands.add("`ocean instance delete " + i.name() + " --user " + i.user() + "`");
    }
    boolean one = what.size() == 1;
    throw new CliException(
        ExitCodes.CONFLICT,
        String.join(", ", what)
            + (one ? " is" : " are")
            + " still running on this cluster, and --reset would leave "
            + (one ? "its container" : "them")
            + " running with nothing to stop "
            + (one ? "it" : "them")
            + "; "
            + String.join(" and ", commands)
            + " first, then `ocean up --reset`");
  }

  /** The ids of every user's running jobs. */
  static List<Long> runningJobs(OceanClient admin) {
    return java.util.Arrays.stream(admin.get("/jobs?everyone=true&state=running", Job[].class))
        .map(Job::id)
        .toList();
  }

  /** Every user's instances that run or are starting: their containers exist. */
  static List<Instance> runningInstances(OceanClient admin) {
    return java.util.Arrays.stream(admin.get("/instances?all=true", Instance[].class))
        .filter(i -> "running".equals(i.state()) || "starting".equals(i.state()))
        .toList();
  }

  /** The admin of the running cluster, to ask it about its jobs; empty when that fails. */
  private static Optional<OceanClient> admin(LocalCluster cluster, Config config, String url) {
    if (cluster.running(LocalCluster.Program.SERVER).isEmpty() || !Startup.healthy(url)) {
      return Optional.empty();
    }
    try {
      return Optional.of(
          AdminLogin.open(config, url, cluster.adminPassword(), cluster.passwordFile()));
    } catch (RuntimeException e) {
      return Optional.empty(); // e.g. a password changed: the process runs are still named
    }
  }
}
