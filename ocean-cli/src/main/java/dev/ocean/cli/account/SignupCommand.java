package dev.ocean.cli.account;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Config;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.User;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "signup", description = "Create an account on the Ocean server.")
public final class SignupCommand extends BaseCommand {
  @Option(
      names = "--email",
      paramLabel = "EMAIL",
      required = true,
      description = "Your email address.")
  String email;

  @Option(names = "--password-stdin", description = "Read the password from standard input.")
  boolean passwordStdin;

  @Override
  public Integer call() {
    String server = serverUrl();
    if (dev.ocean.common.validation.Rules.email(email).isPresent()) {
      throw new dev.ocean.cli.base.CliException(
          dev.ocean.cli.base.ExitCodes.USAGE,
          "--email must be a valid address such as ada@example.com, not '"
              + dev.ocean.cli.base.Text.safe(email)
              + "'");
    }
    String password = readPassword(passwordStdin, "Password: ");
    User user =
        anonymousClient().post("/auth/signup", new Credentials(email, password), User.class);
    // remember the server (and its CA) like login does, so `ocean login` needs no --server
    Config config = config();
    Config.Saved saved = config.load();
    boolean sameServer = server.equals(saved.server());
    config.save(
        new Config.Saved(
            server,
            sameServer ? saved.token() : null,
            sameServer ? saved.email() : null,
            caCert()));
    print(
        user,
        User::email,
        u -> {
          if ("pending".equals(u.status())) {
            info("Account " + u.email() + " created; an admin must activate it before you log in.");
          } else {
            info("Account " + u.email() + " created; log in with `ocean login`.");
          }
        });
    return 0;
  }
}
