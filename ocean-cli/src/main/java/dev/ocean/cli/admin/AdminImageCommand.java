package dev.ocean.cli.admin;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Group;
import dev.ocean.common.api.Image;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "image",
    description = "Register container images.",
    subcommands = {
      AdminImageCommand.Add.class,
      AdminImageCommand.Update.class,
      AdminImageCommand.Remove.class
    })
public final class AdminImageCommand extends Group {
  @Command(name = "add", description = "Register an image users may run.")
  public static final class Add extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "The name users give with --image.")
    String name;

    @Parameters(index = "1", paramLabel = "REFERENCE", description = "e.g. pytorch/pytorch:2.4.0")
    String reference;

    @Option(names = "--description", paramLabel = "TEXT", description = "What is in it.")
    String description;

    @Option(
        names = "--host",
        description =
            "The image is the node's own system: jobs run as processes on nodes joined with"
                + " --runtime process (REFERENCE is then only a label, e.g. local/host).")
    boolean host;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of("reference", "REFERENCE", "description", "--description");
    }

    @Override
    public Integer call() {
      OceanClient client = client();
      Image i;
      try {
        i =
            client.post(
                "/images",
                new Image.Create(name, reference, description, host ? Image.HOST : null),
                Image.class);
      } catch (OceanApiException e) {
        if (e.status() != 409) {
          throw e;
        }
        // Registering what already exists, exactly so, is done already: a script may run twice.
        Image existing =
            Arrays.stream(client.get("/images", Image[].class))
                .filter(x -> x.name().equals(name))
                .findFirst()
                .orElseThrow(() -> e);
        boolean same =
            existing.reference().equals(reference)
                && (!host || Image.HOST.equals(existing.kind()))
                && (description == null || description.equals(existing.description()));
        if (!same) {
          throw new CliException(
              ExitCodes.CONFLICT,
              "image "
                  + name
                  + " already exists as "
                  + existing.reference()
                  + " ("
                  + existing.kind()
                  + "); change it with `ocean admin image update "
                  + name
                  + "`");
        }
        print(
            existing,
            Image::name,
            x -> info("Image " + x.name() + " already exists as given; nothing changed."));
        return 0;
      }
      print(
          i, Image::name, x -> info("Image " + x.name() + " registered as " + x.reference() + "."));
      return 0;
    }
  }

  @Command(name = "update", description = "Point an image at another reference or describe it.")
  public static final class Update extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "The image's name from `ocean image list`.")
    String name;

    @Option(names = "--reference", paramLabel = "REFERENCE", description = "New image reference.")
    String reference;

    @Option(names = "--description", paramLabel = "TEXT", description = "New description.")
    String description;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of("reference", "--reference", "description", "--description");
    }

    @Override
    public Integer call() {
      if (reference == null && description == null) {
        throw new CliException(
            ExitCodes.USAGE, "nothing to change: give --reference or --description");
      }
      Image i =
          client()
              .patch(
                  "/images/" + OceanClient.segment(name),
                  new Image.Create(null, reference, description, null),
                  Image.class);
      print(i, Image::name, x -> info(updated(x, reference != null, description != null)));
      return 0;
    }

    /** What changed, e.g. {@code Image host updated: description "GPU box".} */
    static String updated(Image x, boolean reference, boolean description) {
      List<String> what = new ArrayList<>();
      if (reference) {
        what.add("reference " + x.reference());
      }
      if (description) {
        what.add("description \"" + (x.description() == null ? "" : x.description()) + "\"");
      }
      return "Image "
          + x.name()
          + (what.isEmpty() ? " unchanged." : " updated: " + String.join(", ", what) + ".");
    }
  }

  @Command(name = "remove", description = "Unregister an image.")
  public static final class Remove extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "The image's name from `ocean image list`.")
    String name;

    @Override
    public Integer call() {
      client().delete("/images/" + OceanClient.segment(name));
      info("Image " + name + " removed.");
      return 0;
    }
  }
}
