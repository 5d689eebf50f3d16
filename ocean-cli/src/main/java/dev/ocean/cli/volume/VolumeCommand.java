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
      VolumeCommand.GetVolume.class,
      VolumeCommand.ResizeVolume.class,
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
          client().get("/volumes", LIST), Volume::name, vs -> table(vs).print(out(), style()));
      return 0;
    }
  }

  @Command(name = "get", description = "Show one volume, with how much of it is used.")
  public static final class GetVolume extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Volume name.")
    String name;

    @Override
    public Integer call() {
      Volume v = client().get("/volumes/" + OceanClient.segment(name), Volume.class);
      print(v, Volume::name, x -> table(List.of(x)).print(out(), style()));
      return 0;
    }
  }

  @Command(
      name = "resize",
      description =
          "Give a volume a new size: grow one that is over its size, or shrink one down to what"
              + " its files use.")
  public static final class ResizeVolume extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "Volume name.")
    String name;

    @Option(names = "--size", required = true, paramLabel = "GiB", description = "New size in GiB.")
    int size;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of("sizeGib", "--size");
    }

    @Override
    public Integer call() {
      Volume v =
          client()
              .patch(
                  "/volumes/" + OceanClient.segment(name), new Volume.Resize(size), Volume.class);
      print(v, Volume::name, x -> info("Volume " + x.name() + " is now " + x.sizeGib() + " GiB."));
      return 0;
    }
  }

  /** One row per volume; USED is what its files took when the server last measured them. */
  static Table table(List<Volume> vs) {
    Table t = new Table("NAME", "SIZE", "USED", "IN USE", "CREATED");
    for (Volume v : vs) {
      t.row(
          v.name(),
          v.sizeGib() + " GiB",
          used(v),
          v.inUse() ? "yes" : "no",
          BaseCommand.time(v.createdAt()));
    }
    return t;
  }

  /** Bytes in the largest unit that keeps the number at or above 1, one decimal at most. */
  static String used(Volume v) {
    if (v.usedBytes() == null) {
      return "-";
    }
    double n = v.usedBytes();
    String[] units = {"B", "KiB", "MiB", "GiB", "TiB"};
    int u = 0;
    while (n >= 1024 && u < units.length - 1) {
      n /= 1024;
      u++;
    }
    String s = u == 0 ? String.valueOf((long) n) : String.format(java.util.Locale.ROOT, "%.1f", n);
    if (s.endsWith(".0")) {
      s = s.substring(0, s.length() - 2);
    }
    return s + " " + units[u];
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
