package dev.ocean.cli.node;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Style;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.node.Node;
import java.io.PrintWriter;
import java.util.List;
import picocli.CommandLine.Command;

@Command(name = "gpu", description = "The cluster's GPUs.", subcommands = GpuCommand.ListGpus.class)
public final class GpuCommand extends Group {
  public static final TypeReference<List<Node.Gpu>> LIST = new TypeReference<>() {};

  @Command(
      name = "list",
      description =
          "One line per GPU: node, index, model, use, memory, temperature, power, holder.")
  public static final class ListGpus extends BaseCommand {
    @Override
    public Integer call() {
      List<Node.Gpu> gpus = client().get("/gpus", LIST);
      printList(gpus, g -> g.node() + "/" + g.index(), gs -> table(gs, true, out(), style()));
      return 0;
    }
  }

  static void table(List<Node.Gpu> gpus, boolean withNode, PrintWriter out, Style style) {
    Table t =
        new Table("NODE", "GPU", "MODEL", "UTIL", "MEMORY", "TEMP", "POWER", "HELD BY", "PROBLEM");
    for (Node.Gpu g : gpus) {
      t.row(
          g.node(),
          g.index(),
          g.model(),
          Units.pct(g.utilisationGpu()),
          Units.mib(g.memoryUsedMib(), g.memoryTotalMib()),
          Units.temp(g.temperatureC()),
          Units.watts(g.powerDrawW(), g.powerLimitW()),
          g.heldBy(),
          g.problem());
    }
    if (!withNode) {
      t.hide("NODE");
    }
    if (gpus.stream().allMatch(g -> g.problem() == null)) {
      t.hide("PROBLEM");
    }
    t.print(out, style);
  }
}
