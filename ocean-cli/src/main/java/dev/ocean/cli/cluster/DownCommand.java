package dev.ocean.cli.cluster;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.cluster.LocalCluster.Program;
import java.util.Optional;
import picocli.CommandLine.Command;

@Command(
    name = "down",
    description = "Stop the server and agent that `ocean up` started; their data is kept.")
public final class DownCommand extends BaseCommand {
  @Override
  public Integer call() {
    LocalCluster cluster = LocalCluster.locate(ctx());
    // the agent first, so it leaves while its server still listens
    Optional<Long> agent = cluster.stop(Program.AGENT);
    Optional<Long> server = cluster.stop(Program.SERVER);
    agent.ifPresent(pid -> info("Stopped ocean-agent (pid " + pid + ")."));
    server.ifPresent(pid -> info("Stopped ocean-server (pid " + pid + ")."));
    if (agent.isEmpty() && server.isEmpty()) {
      info("Nothing to stop: no cluster started by `ocean up` runs on this machine.");
    } else {
      info("Data kept in " + cluster.data() + "; `ocean up` starts it again.");
    }
    return 0;
  }
}
