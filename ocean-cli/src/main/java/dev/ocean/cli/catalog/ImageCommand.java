package dev.ocean.cli.catalog;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.Image;
import java.util.List;
import picocli.CommandLine.Command;

@Command(
    name = "image",
    description = "Container images you can run.",
    subcommands = ImageCommand.ListImages.class)
public final class ImageCommand extends Group {
  public static final TypeReference<List<Image>> LIST = new TypeReference<>() {};

  @Command(name = "list", description = "List registered images.")
  public static final class ListImages extends BaseCommand {
    @Override
    public Integer call() {
      printList(client().get("/images", LIST), Image::name, this::table);
      return 0;
    }

    private void table(List<Image> images) {
      Table t = new Table("NAME", "REFERENCE", "KIND", "DESCRIPTION");
      for (Image i : images) {
        t.row(i.name(), i.reference(), i.kind(), i.description());
      }
      t.print(out(), style());
    }
  }
}
