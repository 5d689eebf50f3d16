package dev.ocean.cli;

import dev.ocean.cli.account.LoginCommand;
import dev.ocean.cli.account.LogoutCommand;
import dev.ocean.cli.account.PasswdCommand;
import dev.ocean.cli.account.SignupCommand;
import dev.ocean.cli.account.TokenCommand;
import dev.ocean.cli.account.WhoamiCommand;
import dev.ocean.cli.admin.AdminCommand;
import dev.ocean.cli.base.GlobalOptions;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.HelpCommand;
import dev.ocean.cli.catalog.ImageCommand;
import dev.ocean.cli.catalog.MachineTypeCommand;
import dev.ocean.cli.cluster.DownCommand;
import dev.ocean.cli.cluster.UpCommand;
import dev.ocean.cli.daemon.DaemonCommand;
import dev.ocean.cli.instance.InstanceCommand;
import dev.ocean.cli.job.JobCommand;
import dev.ocean.cli.job.LogsCommand;
import dev.ocean.cli.node.GpuCommand;
import dev.ocean.cli.node.NodeCommand;
import dev.ocean.cli.node.TopCommand;
import dev.ocean.cli.quota.QuotaCommand;
import dev.ocean.cli.sshconfig.SshConfigCommand;
import dev.ocean.cli.sshkey.SshKeyCommand;
import dev.ocean.cli.volume.VolumeCommand;
import dev.ocean.common.Version;
import java.util.List;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/** The root {@code ocean} command. */
@Command(
    name = "ocean",
    versionProvider = OceanCommand.VersionProvider.class,
    description = "Ocean: one GPU cluster from a handful of servers.",
    footer = {
      "",
      "Global options work before or after any command: ocean -o json job list.",
      "",
      "Environment:",
      "  OCEAN_SERVER               server URL, like --server",
      "  OCEAN_TOKEN                API token, like --token",
      "  OCEAN_CA_CERT              extra PEM certificates to trust, like --ca-cert",
      "  OCEAN_TIMEOUT              seconds to wait for an answer (default 30)",
      "  NO_COLOR                   never use colours, like --no-color",
      "  OCEAN_NO_DAEMON=1          start a JVM for every command instead of",
      "                             asking the resident daemon",
      "  OCEAN_DAEMON_IDLE_SECONDS  seconds the resident daemon waits for a",
      "                             command before it ends (default 600)",
      "  XDG_CONFIG_HOME            where ocean/config.json (the saved login)",
      "                             lives, by default in ~/.config",
      "",
      "Exit codes: 0 ok, 1 error, 2 usage or bad input, 3 not found, 4 not logged in or"
          + " forbidden, 5 conflict or quota exceeded; job wait and submit --wait exit with the"
          + " job's code (143 when it was cancelled)."
    })
public final class OceanCommand extends Group {
  /**
   * The commands under {@code ocean}, in the order help lists them. They are not in the annotation
   * so that {@link Cli} can build only the one a command line names: picocli reflects over every
   * class it is given, which costs a CLI start-up about 100 ms for the whole tree.
   */
  public static final List<Class<?>> COMMANDS =
      List.of(
          SignupCommand.class,
          LoginCommand.class,
          LogoutCommand.class,
          WhoamiCommand.class,
          PasswdCommand.class,
          TokenCommand.class,
          MachineTypeCommand.class,
          ImageCommand.class,
          QuotaCommand.class,
          VolumeCommand.class,
          NodeCommand.class,
          GpuCommand.class,
          TopCommand.class,
          JobCommand.class,
          LogsCommand.class,
          InstanceCommand.class,
          SshKeyCommand.class,
          SshConfigCommand.class,
          AdminCommand.class,
          UpCommand.class,
          DownCommand.class,
          DaemonCommand.class,
          CompletionCommand.class,
          HelpCommand.class);

  @Mixin final GlobalOptions global;

  @Option(
      names = {"-V", "--version"},
      versionHelp = true,
      description = "Print the version and exit.")
  boolean version;

  public OceanCommand(GlobalOptions global) {
    this.global = global;
  }

  /** Prints the release version for {@code --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ocean " + Version.VERSION};
    }
  }
}
