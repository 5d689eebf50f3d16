package dev.ocean.cli.cluster;

import dev.ocean.cli.cluster.LocalCluster.Program;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.client.OceanClient;
import java.util.ArrayList;
import java.util.List;

/**
 * The jobs and instances whose containers outlive {@code ocean down} on the docker runtime: like
 * the process runtime's runs, they keep running and the next {@code ocean up} re-adopts them, and
 * {@code down} names them (qa11 T2).
 */
final class ContainerWork {
  private ContainerWork() {}

  /**
   * Asks the cluster's server, before it stops, what runs in containers; empty on the process
   * runtime or when the server does not answer. Logs in and out on its own: the CLI's login (maybe
   * another user's) stays as it was.
   */
  static List<String> asked(LocalCluster cluster) {
    if (!cluster.joinedRuntime().map("docker"::equals).orElse(false)
        || cluster.running(Program.SERVER).isEmpty()) {
      return List.of();
    }
    String url =
        "http://" + Startup.clientHost(cluster.listen("127.0.0.1")) + ":" + cluster.port(0);
    if (!Startup.healthy(url)) {
      return List.of();
    }
    try {
      Session s =
          OceanClient.forUser(url, null)
              .post(
                  "/auth/login",
                  new Credentials(LocalCluster.ADMIN_EMAIL, cluster.adminPassword()),
                  Session.class);
      OceanClient admin = OceanClient.forUser(url, s.token());
      try {
        return of(admin);
      } finally {
        admin.post("/auth/logout", null, Void.class);
      }
    } catch (RuntimeException e) {
      return List.of(); // e.g. the password was changed: `down` stops the cluster all the same
    }
  }

  /** {@code job 5}, {@code instance box of ada@example.com}: what runs in containers. */
  static List<String> of(OceanClient admin) {
    List<String> what = new ArrayList<>();
    for (long id : ResetGuard.runningJobs(admin)) {
      what.add("job " + id);
    }
    for (Instance i : ResetGuard.runningInstances(admin)) {
      what.add("instance " + i.name() + " of " + i.user());
    }
    return what;
  }

  static String keepsRunning(List<String> what) {
    boolean one = what.size() == 1;
    return String.join(", ", what)
        + (one ? " keeps running in its container" : " keep running in their containers")
        + "; the next `ocean up` picks "
        + (one ? "it" : "them")
        + " up.";
  }
}
