package dev.ocean.cli.account;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.Config;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClientException;
import picocli.CommandLine.Command;

@Command(name = "logout", description = "Revoke the saved token and forget it.")
public final class LogoutCommand extends BaseCommand {
  @Override
  public Integer call() {
    Config config = config();
    Config.Saved saved = config.load();
    if (token() == null) {
      info("You are not logged in.");
      return 0;
    }
    RuntimeException untold = null;
    try {
      client().post("/auth/logout", null, Void.class);
    } catch (OceanApiException e) {
      if (e.status() != 401) {
        untold = e;
      }
    } catch (OceanClientException | CliException e) {
      untold = e; // unreachable, or its CA file gone: the login here is forgotten all the same
    }
    if (saved.token() != null) {
      config.save(new Config.Saved(saved.server(), null, null, saved.caCert()));
    }
    if (untold != null) {
      throw new CliException(
          ExitCodes.ERROR,
          "logged out on this machine, but the server was not told ("
              + untold.getMessage()
              + "), so the token stays valid until it expires; revoke it with `ocean token"
              + " revoke` when the server answers");
    }
    info("Logged out.");
    return 0;
  }
}
