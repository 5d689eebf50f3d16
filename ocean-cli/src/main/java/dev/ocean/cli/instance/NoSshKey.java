package dev.ocean.cli.instance;

import dev.ocean.cli.sshkey.SshKeyCommand;
import dev.ocean.common.client.OceanClient;
import dev.ocean.common.client.OceanClientException;

/**
 * An instance lets in the SSH keys its owner registered when it starts: a user with none gets an
 * instance nobody can log in to, and ssh's bare "Permission denied (publickey)" does not say why
 * (qa7 K18). These sentences do.
 */
final class NoSshKey {
  private NoSshKey() {}

  /** Whether the caller has registered no SSH key (false when that cannot be asked). */
  static boolean none(OceanClient client) {
    try {
      return client.get("/ssh-keys", SshKeyCommand.LIST).isEmpty();
    } catch (OceanClientException e) {
      return false;
    }
  }

  /** Said when creating or starting an instance without any key. */
  static String atStart(String name) {
    return "You have no SSH key registered, so nobody can log in to "
        + name
        + " over SSH: `ocean ssh-key add ~/.ssh/id_ed25519.pub`, then `ocean instance stop "
        + name
        + "` and `ocean instance start "
        + name
        + "` to hand it over.";
  }

  /** Said after ssh refused every key the user offered. */
  static String afterRefusal(String name, boolean noKeys) {
    if (noKeys) {
      return atStart(name);
    }
    return "The instance refused your SSH keys: it lets in the keys you registered when it"
        + " started; after adding one (`ocean ssh-key list`), `ocean instance stop "
        + name
        + "` and `ocean instance start "
        + name
        + "` hand it over.";
  }
}
