package dev.ocean.cli.account;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.common.api.User;
import picocli.CommandLine.Command;

@Command(name = "whoami", description = "Show who you are logged in as.")
public final class WhoamiCommand extends BaseCommand {
  @Override
  public Integer call() {
    User u = client().get("/users/me", User.class);
    print(u, User::email, x -> out().println(x.email() + " (" + x.role() + ") on " + serverUrl()));
    return 0;
  }
}
