package dev.ocean.cli.admin;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.client.OceanClient;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "machine-type",
    description = "Define machine types.",
    subcommands = {AdminMachineTypeCommand.Create.class, AdminMachineTypeCommand.Delete.class})
public final class AdminMachineTypeCommand extends Group {
  @Command(name = "create", description = "Define a machine type.")
  public static final class Create extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "e.g. g1.small")
    String name;

    @Option(names = "--cpus", required = true, description = "CPUs.")
    int cpus;

    @Option(names = "--memory", required = true, paramLabel = "GiB", description = "Memory in GiB.")
    int memory;

    @Option(names = "--gpus", required = true, description = "Whole GPUs (0 for none).")
    int gpus;

    @Option(names = "--gpu-model", description = "GPU model the GPUs must be, e.g. H100.")
    String gpuModel;

    @Override
    public Integer call() {
      MachineType m =
          client()
              .post(
                  "/machine-types",
                  new MachineType.Create(name, cpus, memory, gpus, gpuModel),
                  MachineType.class);
      print(m, MachineType::name, x -> info("Machine type " + x.name() + " created."));
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a machine type nobody uses.")
  public static final class Delete extends BaseCommand {
    @Parameters(paramLabel = "NAME")
    String name;

    @Override
    public Integer call() {
      client().delete("/machine-types/" + OceanClient.segment(name));
      info("Machine type " + name + " deleted.");
      return 0;
    }
  }
}
