package dev.ocean.cli.cluster;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.cluster.LocalCluster.Program;
import java.util.List;
import java.util.Optional;
import picocli.CommandLine.Command;

@Command(
    name = "down",
    description =
        "Stop the server and agent that `ocean up` started; their data is kept. Runs and instances"
            + " keep running, as processes or containers (it names them), and the next `ocean up`"
            + " picks them up.")
public final class DownCommand extends BaseCommand {
  @Override
  public Integer call() {
    LocalCluster cluster = LocalCluster.locate(ctx());
    List<String> inContainers = ContainerWork.asked(cluster);
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
    List<String> runs = SurvivingRuns.under(cluster.agentState());
    if (!runs.isEmpty()) {
      info(
          (runs.size() == 1 ? "1 run (" : runs.size() + " runs (")
              + String.join(", ", runs)
              + (runs.size() == 1 ? ") keeps" : ") keep")
              + " running on this machine; the next `ocean up` picks "
              + (runs.size() == 1 ? "it" : "them")
              + " up (to stop "
              + (runs.size() == 1 ? "it" : "them")
              + ": `ocean up`, then `ocean job cancel JOB`).");
    }
    if (!inContainers.isEmpty()) {
      info(ContainerWork.keepsRunning(inContainers));
    }
    return 0;
  }
}
