package dev.ocean.cli.cluster;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.Config;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Session;
import dev.ocean.common.api.User;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import java.nio.file.Path;

/**
 * How {@code ocean up} becomes the cluster's admin: with the password it saved, or, once the admin
 * changed that password ({@code ocean passwd}), with the CLI's own valid admin login (qa7 K21);
 * without one, the server {@code up} started is stopped (its caller) and the file is named.
 */
final class AdminLogin {
  private AdminLogin() {}

  static OceanClient open(Config config, String url, String password, Path passwordFile) {
    return admin(config, url, password, passwordFile).client();
  }

  /** The admin's client, and whether the saved password file still holds the password. */
  record Opened(OceanClient client, boolean byFile, Path passwordFile) {
    /**
     * How {@code ocean up}'s last line tells of the admin's password: the file, or, once {@code
     * ocean passwd} changed it, not the file, which holds the old one (qa11 T9).
     */
    String passwordNote() {
      return byFile
          ? "the admin's password is in " + passwordFile + " and the CLI is logged in"
          : "the CLI is logged in as the admin, whose password was changed with `ocean passwd` ("
              + passwordFile
              + " holds the first one)";
    }
  }

  static Opened admin(Config config, String url, String password, Path passwordFile) {
    try {
      return new Opened(login(config, url, LocalCluster.ADMIN_EMAIL, password), true, passwordFile);
    } catch (OceanApiException e) {
      if (e.status() != 401) {
        throw e;
      }
    }
    Config.Saved saved = config.load();
    if (saved.token() != null && url.equals(saved.server())) {
      OceanClient cli = OceanClient.forUser(url, saved.token());
      try {
        if (LocalCluster.ADMIN_EMAIL.equals(cli.get("/users/me", User.class).email())) {
          return new Opened(cli, false, passwordFile);
        }
      } catch (OceanApiException expiredOrRevoked) {
        // no valid login either: said below
      }
    }
    throw new CliException(
        ExitCodes.FORBIDDEN,
        "the admin password in "
            + passwordFile
            + " no longer works (changed with `ocean passwd`?); write the current one into that"
            + " file, then `ocean up` again");
  }

  /**
   * Logs the CLI in as {@code email} and saves the token; like {@code ocean login}, it ends the
   * token it replaces on the same server, so every {@code ocean up} leaves one valid token.
   */
  static OceanClient login(Config config, String url, String email, String password) {
    Session s =
        OceanClient.forUser(url, null)
            .post("/auth/login", new Credentials(email, password), Session.class);
    Config.Saved before = config.load();
    config.save(new Config.Saved(url, s.token(), s.user().email(), null));
    if (before.token() != null && url.equals(before.server())) {
      try {
        OceanClient.forUser(url, before.token()).post("/auth/logout", null, Void.class);
      } catch (RuntimeException alreadyGone) {
        // expired, revoked or unreachable: nothing left to end
      }
    }
    return OceanClient.forUser(url, s.token());
  }
}
