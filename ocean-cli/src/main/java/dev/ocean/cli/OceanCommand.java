package dev.ocean.cli;

import dev.ocean.cli.account.LoginCommand;
import dev.ocean.cli.account.LogoutCommand;
import dev.ocean.cli.account.PasswdCommand;
import dev.ocean.cli.account.SignupCommand;
import dev.ocean.cli.account.TokenCommand;
import dev.ocean.cli.account.WhoamiCommand;
import dev.ocean.cli.admin.AdminCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.catalog.ImageCommand;
import dev.ocean.cli.catalog.MachineTypeCommand;
import dev.ocean.cli.job.JobCommand;
import dev.ocean.cli.job.LogsCommand;
import dev.ocean.cli.node.GpuCommand;
import dev.ocean.cli.node.NodeCommand;
import dev.ocean.cli.node.TopCommand;
import dev.ocean.cli.quota.QuotaCommand;
import dev.ocean.cli.volume.VolumeCommand;
import dev.ocean.common.Version;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The root {@code ocean} command. */
@Command(
    name = "ocean",
    mixinStandardHelpOptions = true,
    versionProvider = OceanCommand.VersionProvider.class,
    description = "Ocean: one GPU cluster from a handful of servers.",
    footer = {
      "",
      "Environment: OCEAN_SERVER, OCEAN_TOKEN, NO_COLOR, and OCEAN_TIMEOUT (seconds to wait for"
          + " the server's answer; default 30)."
    },
    subcommands = {
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
      AdminCommand.class,
      CompletionCommand.class
    })
public final class OceanCommand extends Group {
  /** Prints the release version for {@code --version}. */
  static final class VersionProvider implements CommandLine.IVersionProvider {
    @Override
    public String[] getVersion() {
      return new String[] {"ocean " + Version.VERSION};
    }
  }
}
