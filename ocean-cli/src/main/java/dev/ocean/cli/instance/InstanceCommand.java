package dev.ocean.cli.instance;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.client.OceanClient;
import java.time.Duration;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "instance",
    description = "Personal dev environments on a GPU node, reached with SSH and VS Code.",
    subcommands = {
      InstanceCreateCommand.class,
      InstanceCommand.ListInstances.class,
      InstanceCommand.GetInstance.class,
      InstanceCommand.StopInstance.class,
      InstanceCommand.StartInstance.class,
      InstanceCommand.DeleteInstance.class,
      InstanceLogsCommand.class,
      InstanceSshCommand.class,
      InstanceExtendCommand.class,
      InstanceProxyCommand.class,
      InstancePortForwardCommand.class
    })
public final class InstanceCommand extends Group {
  static final TypeReference<List<Instance>> LIST = new TypeReference<>() {};

  /** The API path of an instance, with {@code ?user=} when an admin names its owner. */
  static String path(String name, String user, String suffix) {
    if (user != null && user.isBlank()) {
      // an empty --user would quietly mean the caller's own instance
      throw new dev.ocean.cli.base.CliException(
          dev.ocean.cli.base.ExitCodes.USAGE, "--user must name the owner's email, not be empty");
    }
    return "/instances/"
        + OceanClient.segment(name)
        + suffix
        + (user == null ? "" : "?user=" + OceanClient.segment(user));
  }

  /** A leaf command that names one instance, optionally another user's (admins). */
  abstract static class OneInstance extends BaseCommand {
    @Parameters(index = "0", paramLabel = "NAME", description = "Instance name.")
    String name;

    @Option(
        names = "--user",
        paramLabel = "EMAIL",
        description = "Admins: another user's instance.")
    String user;

    Instance fetch() {
      return client().get(path(name, user, ""), Instance.class);
    }
  }

  @Command(
      name = "list",
      description = "List your instances; pending ones show their queue place and why they wait.")
  public static final class ListInstances extends BaseCommand {
    @Option(names = "--all-users", description = "Admins: every user's instances.")
    boolean allUsers;

    @Override
    public Integer call() {
      printList(
          client().get(allUsers ? "/instances?all=true" : "/instances", LIST),
          Instance::name,
          is -> InstanceViews.table(is, allUsers, wide(), out(), style()));
      return 0;
    }
  }

  @Command(
      name = "get",
      description =
          "Show an instance: state, queue place, node, SSH command, editor URL, host key.")
  public static final class GetInstance extends OneInstance {
    @Override
    public Integer call() {
      print(
          fetch(),
          Instance::name,
          i -> InstanceViews.detail(i, HostKeys.fingerprint(i.hostKey()), out(), style()));
      return 0;
    }
  }

  @Command(name = "stop", description = "Stop an instance; it keeps its volume and quota unit.")
  public static final class StopInstance extends OneInstance {
    @Option(
        names = "--wait",
        description = "Wait until it has stopped (so `start` may follow at once).")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
      Instance i = client().post(path(name, user, "/stop"), null, Instance.class);
      // the agent confirms a stop: until then the instance still runs, saying it is stopping
      while (await && !i.state().equals("stopped") && !i.state().equals("failed")) {
        Thread.sleep(Duration.ofMillis(500));
        i = client().get(path(name, user, ""), Instance.class);
      }
      print(
          i,
          Instance::name,
          x ->
              info(
                  "Instance "
                      + x.name()
                      + (x.state().equals("stopped")
                          ? " stopped; it keeps its quota unit until you delete it."
                          : " is stopping (" + x.stateReason() + ").")));
      return 0;
    }
  }

  @Command(name = "start", description = "Start a stopped or failed instance again (queued FIFO).")
  public static final class StartInstance extends OneInstance {
    @Option(
        names = "--wait",
        description = "Wait until it runs (exit 1 with the reason if it fails).")
    boolean await;

    @Override
    public Integer call() throws InterruptedException {
      Instance i = client().post(path(name, user, "/start"), null, Instance.class);
      if (await) {
        i =
            InstanceCreateCommand.awaitRunning(
                client(),
                i,
                user,
                line -> {
                  if (!json() && !global.quiet) {
                    info(line);
                  }
                });
      }
      print(
          i,
          Instance::name,
          x ->
              info(
                  "Instance "
                      + x.name()
                      + " is "
                      + x.state()
                      + (x.queuePosition() == null ? "" : " (#" + x.queuePosition() + " in queue)")
                      + "."));
      if (user == null && !json() && !global.quiet && NoSshKey.none(client())) {
        info(NoSshKey.atStart(i.name()));
      }
      return 0;
    }
  }

  @Command(
      name = "delete",
      description =
          "Stop and delete an instance, freeing its quota unit and name (the volume stays).")
  public static final class DeleteInstance extends OneInstance {
    @Override
    public Integer call() {
      client().delete(path(name, user, ""));
      info("Instance " + name + " deleted.");
      return 0;
    }
  }
}
