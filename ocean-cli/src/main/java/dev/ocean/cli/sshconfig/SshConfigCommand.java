package dev.ocean.cli.sshconfig;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.instance.Instance;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code ocean ssh-config [--print] [--remove]}: lets {@code ssh ocean-NAME} (and VS Code
 * Remote-SSH, scp, rsync) reach your instances through the Ocean server, with their host keys
 * pinned. See {@link SshConfigFiles} for what it writes.
 */
@Command(
    name = "ssh-config",
    description =
        "Add your instances to ~/.ssh/config as ocean-NAME, reached through the Ocean server.")
public final class SshConfigCommand extends BaseCommand {
  private static final TypeReference<List<Instance>> LIST = new TypeReference<>() {};

  @Option(names = "--print", description = "Print the entries instead of writing any file.")
  boolean print;

  @Option(names = "--remove", description = "Remove the Include line and Ocean's SSH files.")
  boolean remove;

  @Override
  public Integer call() throws IOException {
    if (print && remove) {
      throw new CliException(ExitCodes.USAGE, "--print and --remove cannot be used together");
    }
    SshConfigFiles files = new SshConfigFiles(home());
    if (remove) {
      info(
          switch (files.remove()) {
            case NOTHING -> "Nothing to remove: " + files.userConfig() + " has no Ocean entries.";
            case ENTRIES -> "Removed Ocean's entries from " + files.userConfig() + ".";
            case FILE ->
                "Removed Ocean's entries and "
                    + files.userConfig()
                    + ", which ocean ssh-config had created.";
          });
      return 0;
    }
    List<SshConfigFiles.Entry> entries =
        client().get("/instances", LIST).stream()
            .map(i -> new SshConfigFiles.Entry(i.name(), i.hostKey()))
            .toList();
    String launcher = launcher();
    if (print) {
      out().print(SshConfigFiles.config(entries, launcher));
      return 0;
    }
    int usable = SshConfigFiles.usable(entries).size();
    if (usable == 0) {
      info(nothingToWrite(entries.isEmpty(), files.remove() != SshConfigFiles.Removed.NOTHING));
      return 0;
    }
    files.write(entries, launcher);
    info(
        "Wrote "
            + usable
            + (usable == 1 ? " host" : " hosts")
            + " to "
            + files.oceanConfig()
            + (usable < entries.size() ? " (instances without a host key yet are left out)" : "")
            + "; connect with `ssh ocean-NAME`.");
    return 0;
  }

  /**
   * Why nothing was written: with no host to add, an Include line would only point ssh at an empty
   * file; entries left from earlier runs (instances since deleted) are removed.
   */
  private static String nothingToWrite(boolean noInstance, boolean removedStale) {
    return (noInstance
            ? "You have no instance, so there is no host to add"
            : "None of your instances has a host key yet, so there is no host to add")
        + (removedStale ? "; removed Ocean's entries left from earlier" : "")
        + (noInstance
            ? ". Create one with `ocean instance create NAME --machine-type T --image I --volume V"
                + " --reason R`, then run `ocean ssh-config` again."
            : ". Run `ocean ssh-config` again once they are running.");
  }

  private Path home() {
    String home = ctx().env("HOME");
    return Path.of(home != null ? home : System.getProperty("user.home"));
  }

  /** The launcher that runs this CLI (set by bin/ocean), else {@code ocean} on the PATH. */
  private static String launcher() {
    String self = System.getProperty("ocean.launcher");
    return self == null || self.isBlank() ? "ocean" : self;
  }
}
