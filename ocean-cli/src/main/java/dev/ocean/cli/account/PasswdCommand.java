package dev.ocean.cli.account;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.PasswordChange;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(
    name = "passwd",
    description = "Change your password; your other sessions (tokens) are logged out.")
public final class PasswdCommand extends BaseCommand {
  @Option(
      names = "--password-stdin",
      description = "Read the current password, then the new one, as two lines of standard input.")
  boolean passwordStdin;

  @Override
  public Integer call() {
    var client = client();
    String current;
    String replacement;
    if (passwordStdin) {
      List<String> lines = stdinLines();
      if (lines.size() < 2 || lines.get(0).isEmpty() || lines.get(1).isEmpty()) {
        throw new CliException(
            ExitCodes.USAGE,
            "--password-stdin needs two lines: the current password, then the new one");
      }
      current = lines.get(0);
      replacement = lines.get(1);
    } else {
      current = readPassword(false, "Current password: ");
      replacement = readPassword(false, "New password: ");
      if (!replacement.equals(readPassword(false, "New password again: "))) {
        throw new CliException(ExitCodes.USAGE, "the new passwords do not match; nothing changed");
      }
    }
    client.post("/users/me/password", new PasswordChange(current, replacement), Void.class);
    info("Password changed; your other sessions were logged out.");
    return 0;
  }

  private List<String> stdinLines() {
    try {
      return new String(ctx().stdin().readAllBytes(), StandardCharsets.UTF_8).lines().toList();
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot read standard input: " + e.getMessage());
    }
  }
}
