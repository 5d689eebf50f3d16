package dev.ocean.cli.admin;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Text;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "machine-type",
    description = "Define machine types.",
    subcommands = {
      AdminMachineTypeCommand.Create.class,
      AdminMachineTypeCommand.Update.class,
      AdminMachineTypeCommand.Delete.class
    })
public final class AdminMachineTypeCommand extends Group {
  private static final Map<String, String> FLAGS =
      Map.of(
          "cpus",
          "--cpus",
          "memoryGib",
          "--memory",
          "gpus",
          "--gpus",
          "gpuModel",
          "--gpu-model",
          "idleStopHours",
          "--idle-stop",
          "idleExtendMaxHours",
          "--idle-extend-max");

  @Command(name = "create", description = "Define a machine type.")
  public static final class Create extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "e.g. g1.small")
    String name;

    @Option(names = "--cpus", paramLabel = "N", required = true, description = "CPUs.")
    int cpus;

    @Option(names = "--memory", required = true, paramLabel = "GiB", description = "Memory in GiB.")
    int memory;

    @Option(
        names = "--gpus",
        paramLabel = "N",
        required = true,
        description = "Whole GPUs (0 for none).")
    int gpus;

    @Option(
        names = "--gpu-model",
        paramLabel = "MODEL",
        description = "GPU model the GPUs must be, e.g. H100.")
    String gpuModel;

    @Option(
        names = "--idle-stop",
        paramLabel = "HOURS",
        description =
            "Stop instances of this type idle this long (GPUs, connections, jobs); off"
                + " by default.")
    Integer idleStop;

    @Option(
        names = "--idle-extend-max",
        paramLabel = "HOURS",
        description =
            "How far from now owners may extend an idle instance, in hours from 1 (default:"
                + " --idle-stop).")
    Integer idleExtendMax;

    @Override
    public Map<String, String> flagsByField() {
      return FLAGS;
    }

    @Override
    public Integer call() {
      OceanClient client = client();
      MachineType m;
      try {
        m =
            client.post(
                "/machine-types",
                new MachineType.Create(name, cpus, memory, gpus, gpuModel, idleStop, idleExtendMax),
                MachineType.class);
      } catch (OceanApiException e) {
        if (e.status() != 409) {
          throw e;
        }
        // Creating what already exists, exactly so, is done already: a set-up script may run twice.
        MachineType existing =
            Arrays.stream(client.get("/machine-types", MachineType[].class))
                .filter(x -> x.name().equals(name))
                .findFirst()
                .orElseThrow(() -> e);
        List<String> differ = new ArrayList<>();
        differ(differ, Text.count(existing.cpus(), "CPU"), existing.cpus() != cpus, cpus + "");
        differ(differ, existing.memoryGib() + " GiB", existing.memoryGib() != memory, memory + "");
        differ(differ, Text.count(existing.gpus(), "GPU"), existing.gpus() != gpus, gpus + "");
        differ(
            differ,
            "GPU model " + orNone(blankToNull(existing.gpuModel())),
            !Objects.equals(blankToNull(existing.gpuModel()), blankToNull(gpuModel)),
            orNone(blankToNull(gpuModel)));
        differ(
            differ,
            "idle stop " + hours(existing.idleStopHours()),
            !Objects.equals(existing.idleStopHours(), positive(idleStop)),
            hours(positive(idleStop)));
        differ(
            differ,
            "idle extend max " + hours(existing.idleExtendMaxHours()),
            idleExtendMax != null
                && !Objects.equals(existing.idleExtendMaxHours(), positive(idleExtendMax)),
            hours(positive(idleExtendMax)));
        if (!differ.isEmpty()) {
          // the values that differ, each as it is and as typed: the same values side by side read
          // as no difference at all (qa11 T7)
          throw new CliException(
              ExitCodes.CONFLICT,
              "machine type "
                  + name
                  + " already exists with other values ("
                  + String.join("; ", differ)
                  + "); change it with `ocean admin machine-type update "
                  + name
                  + "`");
        }
        print(
            existing,
            MachineType::name,
            x -> info("Machine type " + x.name() + " already exists as given; nothing changed."));
        return 0;
      }
      print(m, MachineType::name, x -> info("Machine type " + x.name() + " created."));
      Capacity.warning(client, m).ifPresent(this::info);
      return 0;
    }

    private static void differ(List<String> into, String has, boolean differs, String typed) {
      if (differs) {
        into.add(has + ", not " + typed);
      }
    }

    private static String hours(Integer h) {
      return h == null ? "off" : h + " h";
    }

    private static String orNone(String s) {
      return s == null ? "none" : s;
    }

    private static Integer positive(Integer hours) {
      return hours == null || hours <= 0 ? null : hours;
    }

    private static String blankToNull(String s) {
      return s == null || s.isBlank() ? null : s;
    }
  }

  @Command(
      name = "update",
      description = "Change what a machine type gives; jobs already submitted keep their shape.")
  public static final class Update extends BaseCommand {
    @Parameters(
        paramLabel = "NAME",
        description = "The machine type's name from `ocean machine-type list`.")
    String name;

    @Option(names = "--cpus", paramLabel = "N", description = "CPUs.")
    Integer cpus;

    @Option(names = "--memory", paramLabel = "GiB", description = "Memory in GiB.")
    Integer memory;

    @Option(names = "--gpus", paramLabel = "N", description = "Whole GPUs (0 for none).")
    Integer gpus;

    @Option(
        names = "--gpu-model",
        paramLabel = "MODEL",
        description = "GPU model; an empty string clears it.")
    String gpuModel;

    @Option(
        names = "--idle-stop",
        paramLabel = "HOURS",
        description = "Stop instances of this type idle this long; 0 turns idle stop off.")
    Integer idleStop;

    @Option(
        names = "--idle-extend-max",
        paramLabel = "HOURS",
        description =
            "How far from now owners may extend an idle instance; 0: the --idle-stop value.")
    Integer idleExtendMax;

    @Override
    public Map<String, String> flagsByField() {
      return FLAGS;
    }

    @Override
    public Integer call() {
      if (cpus == null
          && memory == null
          && gpus == null
          && gpuModel == null
          && idleStop == null
          && idleExtendMax == null) {
        throw new CliException(
            ExitCodes.USAGE,
            "nothing to change: give --cpus, --memory, --gpus, --gpu-model, --idle-stop or"
                + " --idle-extend-max");
      }
      MachineType m =
          client()
              .patch(
                  "/machine-types/" + OceanClient.segment(name),
                  new MachineType.Create(
                      null, cpus, memory, gpus, gpuModel, idleStop, idleExtendMax),
                  MachineType.class);
      print(
          m,
          MachineType::name,
          x ->
              info(
                  "Machine type "
                      + x.name()
                      + " now gives "
                      + dev.ocean.cli.base.Text.count(x.cpus(), "CPU")
                      + ", "
                      + x.memoryGib()
                      + " GiB, "
                      + dev.ocean.cli.base.Text.count(x.gpus(), "GPU")
                      + (x.gpuModel() == null ? "" : " " + x.gpuModel())
                      + (x.idleStopHours() == null
                          ? ""
                          : ", idle stop after "
                              + x.idleStopHours()
                              + " h (extend up to "
                              + x.idleExtendMaxHours()
                              + " h)")
                      + "."));
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a machine type nobody uses.")
  public static final class Delete extends BaseCommand {
    @Parameters(
        paramLabel = "NAME",
        description = "The machine type's name from `ocean machine-type list`.")
    String name;

    @Override
    public Integer call() {
      client().delete("/machine-types/" + OceanClient.segment(name));
      info("Machine type " + name + " deleted.");
      return 0;
    }
  }
}
