package dev.ocean.cli.account;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.Config;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Session;
import dev.ocean.common.client.OceanApiException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "login", description = "Log in and save the API token (config file mode 0600).")
public final class LoginCommand extends BaseCommand {
  @Option(
      names = "--email",
      paramLabel = "EMAIL",
      required = true,
      description = "Your email address.")
  String email;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  /** A login to another server starts afresh: the CA saved for the last one is not its CA. */
  @Override
  protected boolean savedCaCertApplies(Config.Saved saved) {
    return serverUrl().equals(saved.server());
  }

  @Override
  public Integer call() {
    String server = serverUrl();
    String password = readPassword(passwordStdin, "Password: ");
    Session s;
    try {
      s = anonymousClient().post("/auth/login", new Credentials(email, password), Session.class);
    } catch (OceanApiException e) {
      if (e.status() == 429) {
        // throttled: like a refused login, not a failure of the tool
        throw new CliException(ExitCodes.FORBIDDEN, e.getMessage());
      }
      throw e;
    }
    Config config = config();
    Config.Saved before = config.load();
    config.save(new Config.Saved(server, s.token(), s.user().email(), caCert()));
    if (before.token() != null && server.equals(before.server())) {
      // the token this login replaces would stay valid, unused, for its whole lifetime
      try {
        clientWith(before.token()).post("/auth/logout", null, Void.class);
      } catch (RuntimeException alreadyGone) {
        // expired, revoked or unreachable: nothing left to end
      }
    }
    print(
        s.user(),
        u -> u.email(),
        u -> info("Logged in to " + server + " as " + u.email() + " (" + u.role() + ")."));
    return 0;
  }
}
