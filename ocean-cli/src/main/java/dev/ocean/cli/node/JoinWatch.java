package dev.ocean.cli.node;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import java.util.function.Consumer;

/** Watches a node that {@code ocean admin node add} started join, until it reports ready. */
final class JoinWatch {
  private final OceanClient client;
  private final Consumer<String> step;

  JoinWatch(OceanClient client, Consumer<String> step) {
    this.client = client;
    this.step = step;
  }

  /**
   * Waits until node {@code name} reports ready; fails at once when the agent started with {@code
   * pid} (nohup) died, quoting its log, and at the request's timeout.
   */
  Node awaitReady(
      SshHost ssh, String sudo, NodeInstaller.Request r, String name, String state, String pid) {
    step.accept("Waiting for " + name + " to report...");
    long deadline = System.nanoTime() + r.timeout().toNanos();
    while (System.nanoTime() < deadline) {
      try {
        Node n = client.get("/nodes/" + OceanClient.segment(name), Node.class);
        if ("ready".equals(n.state())) {
          return n;
        }
      } catch (OceanApiException e) {
        if (e.status() != 404) {
          throw e;
        }
      }
      if (!pid.isEmpty() && ssh.script(sudo, RemoteScripts.ALIVE, pid).exit() != 0) {
        SshHost.Result log = ssh.script(sudo, RemoteScripts.LOG_TAIL, state);
        throw new CliException(
            ExitCodes.ERROR,
            "the agent on " + r.host() + " stopped before it joined: " + lastError(log.out()));
      }
      try {
        Thread.sleep(1000);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new CliException(ExitCodes.ERROR, "interrupted while waiting for " + name);
      }
    }
    throw new CliException(
        ExitCodes.ERROR,
        "node "
            + name
            + " did not report within "
            + r.timeout().toSeconds()
            + " s; the install on "
            + r.host()
            + " was undone");
  }

  private static String lastError(String log) {
    return log.lines()
        .filter(l -> l.startsWith("Error:"))
        .reduce((a, b) -> b)
        .map(l -> l.substring("Error:".length()).strip())
        .orElse(log.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("no log"));
  }
}
