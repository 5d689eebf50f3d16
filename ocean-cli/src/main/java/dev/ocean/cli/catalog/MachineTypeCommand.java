package dev.ocean.cli.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.MachineType;
import java.util.List;
import picocli.CommandLine.Command;

@Command(
    name = "machine-type",
    description = "Machine types you can request quota for.",
    subcommands = MachineTypeCommand.ListMachineTypes.class)
public final class MachineTypeCommand extends Group {
  public static final TypeReference<List<MachineType>> LIST = new TypeReference<>() {};

  @Command(name = "list", description = "List machine types.")
  public static final class ListMachineTypes extends BaseCommand {
    @Override
    public Integer call() {
      printList(client().get("/machine-types", LIST), MachineType::name, this::table);
      return 0;
    }

    private void table(List<MachineType> types) {
      Table t = new Table("NAME", "CPUS", "MEMORY", "GPUS", "GPU MODEL", "IDLE STOP");
      for (MachineType m : types) {
        t.row(
            m.name(),
            m.cpus(),
            m.memoryGib() + " GiB",
            m.gpus(),
            m.gpuModel(),
            m.idleStopHours() == null
                ? "off"
                : m.idleStopHours() + " h (extend ≤ " + m.idleExtendMaxHours() + " h)");
      }
      if (!wide()) {
        t.hide("GPU MODEL");
        t.hide("IDLE STOP");
      }
      t.print(out(), style());
    }
  }
}
