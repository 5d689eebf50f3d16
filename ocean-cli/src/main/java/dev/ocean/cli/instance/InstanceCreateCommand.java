package dev.ocean.cli.instance;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.client.OceanClient;
import java.time.Duration;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "create",
    description =
        "Create an instance: it queues FIFO with jobs and holds 1 quota unit until deleted.")
public final class InstanceCreateCommand extends BaseCommand {
  @Parameters(paramLabel = "NAME", description = "Instance name (lower-case letters, digits, '-').")
  String name;

  @Option(
      names = "--machine-type",
      required = true,
      paramLabel = "TYPE",
      description = "Machine type (ocean machine-type list).")
  String machineType;

  @Option(
      names = "--image",
      required = true,
      paramLabel = "IMAGE",
      description = "Container image (ocean image list).")
  String image;

  @Option(
      names = "--volume",
      paramLabel = "VOLUME",
      description = "Your volume, mounted at /home/linuxbrew (else nothing persists).")
  String volume;

  @Option(names = "--reason", paramLabel = "TEXT", description = "What you need it for.")
  String reason;

  @Option(
      names = "--wait",
      description = "Wait until it runs (exit 1 with the reason if it fails).")
  boolean await;

  @Override
  public Map<String, String> flagsByField() {
    return Map.of(
        "name", "NAME",
        "machineType", "--machine-type",
        "image", "--image",
        "volume", "--volume",
        "reason", "--reason");
  }

  @Override
  public Integer call() throws InterruptedException {
    if (volume != null && volume.isBlank()) {
      // `--volume "$VOL"` with VOL unset: the instance would keep nothing the user meant to keep
      throw new CliException(
          ExitCodes.USAGE, "--volume must name one of your volumes, not be empty");
    }
    OceanClient client = client();
    Instance i =
        client.post(
            "/instances",
            new Instance.Create(name, machineType, image, volume, reason),
            Instance.class);
    boolean noKey = !json() && !global.quiet && NoSshKey.none(client);
    if (!await) {
      print(i, Instance::name, x -> info(created(x)));
      if (noKey) {
        info(NoSshKey.atStart(i.name()));
      }
      return 0;
    }
    if (!json() && !global.quiet) {
      info(created(i));
      if (noKey) {
        info(NoSshKey.atStart(i.name()));
      }
    }
    Instance up =
        awaitRunning(
            client,
            i,
            null,
            line -> {
              if (!json() && !global.quiet) {
                info(line);
              }
            });
    print(
        up,
        Instance::name,
        x -> {
          info("Instance " + x.name() + " is running on " + x.node() + ".");
          if (x.sshCommand() != null) {
            out().println(x.sshCommand());
          }
        });
    return 0;
  }

  /**
   * Polls until {@code i} runs, reporting each new state on {@code progress}; one sentence with the
   * reason when it fails or stops instead.
   */
  static Instance awaitRunning(
      OceanClient client, Instance i, String user, java.util.function.Consumer<String> progress)
      throws InterruptedException {
    // Ctrl-C ends only the waiting: say so, and how to stop the instance itself (qa7 K12)
    String name = i.name();
    return dev.ocean.cli.base.OnInterrupt.saying(
        () ->
            System.err.println(
                "Stopped waiting for instance "
                    + name
                    + "; it goes on starting (`ocean instance stop "
                    + name
                    + "` stops it)."),
        () -> awaitRunningQuietly(client, i, user, progress));
  }

  private static Instance awaitRunningQuietly(
      OceanClient client, Instance i, String user, java.util.function.Consumer<String> progress)
      throws InterruptedException {
    String last = null;
    while (!i.state().equals("running")) {
      if (i.state().equals("failed") || i.state().equals("stopped")) {
        throw new CliException(
            ExitCodes.ERROR,
            "instance "
                + i.name()
                + " "
                + i.state()
                + ": "
                + (i.stateReason() == null ? "no reason given" : i.stateReason()));
      }
      String now = i.state() + " " + InstanceViews.note(i);
      if (!now.equals(last)) {
        progress.accept("  " + now.strip());
        last = now;
      }
      Thread.sleep(Duration.ofSeconds(1));
      i = client.get(InstanceCommand.path(i.name(), user, ""), Instance.class);
    }
    return i;
  }

  private static String created(Instance i) {
    return "Instance "
        + i.name()
        + " created ("
        + i.state()
        + (i.queuePosition() == null ? "" : ", #" + i.queuePosition() + " in queue")
        + "); it holds 1 unit of quota "
        + i.machineType()
        + " until you delete it.";
  }
}
