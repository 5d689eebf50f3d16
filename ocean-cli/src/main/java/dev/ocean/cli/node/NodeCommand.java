package dev.ocean.cli.node;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Details;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanClient;
import java.time.Instant;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "node",
    description = "The cluster's nodes.",
    subcommands = {NodeCommand.ListNodes.class, NodeCommand.GetNode.class, NodeAddCommand.class})
public final class NodeCommand extends Group {
  public static final TypeReference<List<Node>> LIST = new TypeReference<>() {};

  @Command(
      name = "list",
      description =
          "List nodes: state, CPUs, memory, GPUs used/total, model, last seen, and why a node"
              + " gets no work.")
  public static final class ListNodes extends BaseCommand {
    @Override
    public Integer call() {
      List<Node> nodes = client().get("/nodes", LIST);
      Instant now = Instant.now();
      printList(
          nodes,
          Node::name,
          ns -> {
            Table t =
                new Table(
                    "NAME",
                    "STATE",
                    "CPUS",
                    "MEMORY",
                    "GPUS",
                    "GPU MODEL",
                    "LAST SEEN",
                    "HOST",
                    "OS",
                    "AGENT",
                    "LAST HEARTBEAT",
                    "REASON");
            for (Node n : ns) {
              t.row(
                  n.name(),
                  style().state(n.state()),
                  n.cpus(),
                  Units.gib(n.memoryBytes()),
                  n.gpusUsed() + "/" + n.gpus(),
                  n.gpuModel(),
                  Units.ago(n.lastSeenAt(), now),
                  n.facts() == null ? null : n.facts().hostname(),
                  n.facts() == null ? null : n.facts().os(),
                  n.agentVersion(),
                  time(n.lastSeenAt()),
                  n.unschedulable());
            }
            if (!wide()) {
              t.hide("HOST").hide("OS").hide("AGENT").hide("LAST HEARTBEAT");
            }
            if (ns.stream().allMatch(n -> n.unschedulable() == null)) {
              t.hide("REASON");
            }
            t.print(out(), style());
          });
      return 0;
    }
  }

  @Command(name = "get", description = "Show one node with a line per GPU.")
  public static final class GetNode extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "The node's name from `ocean node list`.")
    String name;

    @Override
    public Integer call() {
      Node n = client().get("/nodes/" + OceanClient.segment(name), Node.class);
      print(
          n,
          Node::name,
          x -> {
            Details d = new Details(out());
            d.line("Name", x.name());
            d.line("State", style().state(x.state()));
            d.line("Host", x.facts().hostname(), " (", x.facts().os(), ", ", x.facts().arch(), ")");
            d.line(
                "CPUs", x.cpus(), x.facts().cpuModel() == null ? "" : " x " + x.facts().cpuModel());
            d.line("Memory", Units.gib(x.memoryBytes()));
            if (x.metrics() != null) {
              d.line("CPU use", Units.pct(x.metrics().cpuUtilisation()));
              if (x.metrics().memoryUsedBytes() != null) {
                d.line("Memory use", Units.gib(x.metrics().memoryUsedBytes()));
              }
            }
            d.line("Agent", x.agentVersion());
            d.line("Registered", time(x.registeredAt()));
            d.line("Last seen", Units.ago(x.lastSeenAt(), Instant.now()));
            if (x.unschedulable() != null) {
              d.line("Not scheduled", x.unschedulable());
            }
            if (x.facts().runtime() != null) {
              d.line(
                  "Runtime",
                  x.facts().runtime().kind(),
                  ", GPUs handed over by ",
                  x.facts().runtime().gpuHandoff());
            }
            d.line("GPUs", x.gpusUsed() + "/" + x.gpus() + " in use");
            if (!x.gpuList().isEmpty()) {
              GpuCommand.table(x.gpuList(), false, out(), style());
            }
          });
      return 0;
    }
  }
}
