package dev.ocean.cli.volume;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.Volume;
import dev.ocean.common.client.OceanClient;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "volume",
    description = "Your persistent volumes, mounted at /home/linuxbrew.",
    subcommands = {
      VolumeCommand.CreateVolume.class,
      VolumeCommand.ListVolumes.class,
      VolumeCommand.DeleteVolume.class
    })
public final class VolumeCommand extends Group {
  static final TypeReference<List<Volume>> LIST = new TypeReference<>() {};

  @Command(name = "create", description = "Create a volume.")
  public static final class CreateVolume extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Volume name (lower-case letters, digits, '-').")
    String name;

    @Option(names = "--size", required = true, paramLabel = "GiB", description = "Size in GiB.")
    int size;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of("sizeGib", "--size");
    }

    @Override
    public Integer call() {
      Volume v = client().post("/volumes", new Volume.Create(name, size), Volume.class);
      print(
          v, Volume::name, x -> info("Volume " + x.name() + " created (" + x.sizeGib() + " GiB)."));
      return 0;
    }
  }

  @Command(name = "list", description = "List your volumes.")
  public static final class ListVolumes extends BaseCommand {
    @Override
    public Integer call() {
      printList(
          client().get("/volumes", LIST),
          Volume::name,
          vs -> {
            Table t = new Table("NAME", "SIZE", "IN USE", "CREATED");
            for (Volume v : vs) {
              t.row(v.name(), v.sizeGib() + " GiB", v.inUse() ? "yes" : "no", time(v.createdAt()));
            }
            t.print(out(), style());
          });
      return 0;
    }
  }

  @Command(name = "delete", description = "Delete a volume and its files.")
  public static final class DeleteVolume extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Volume name.")
    String name;

    @Override
    public Integer call() {
      client().delete("/volumes/" + OceanClient.segment(name));
      info("Volume " + name + " deleted.");
      return 0;
    }
  }
}
