package dev.ocean.cli.account;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Config;
import dev.ocean.common.client.OceanApiException;
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
    try {
      client().post("/auth/logout", null, Void.class);
    } catch (OceanApiException e) {
      if (e.status() != 401) {
        throw e;
      }
    }
    if (saved.token() != null) {
      config.save(new Config.Saved(saved.server(), null, null, saved.caCert()));
    }
    info("Logged out.");
    return 0;
  }
}
