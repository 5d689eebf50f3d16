package dev.ocean.common.api.instance;

import java.time.Instant;

/**
 * One of a user's SSH public keys ({@code GET|POST /api/v1/ssh-keys}, {@code DELETE
 * /api/v1/ssh-keys/{id}}); every start of the user's instances writes them to {@code
 * authorized_keys}.
 *
 * @param fingerprint {@code SHA256:…} as {@code ssh-keygen -l} prints it
 */
public record SshKey(
    long id, String name, String type, String fingerprint, String publicKey, Instant createdAt) {

  /** The body of {@code POST /api/v1/ssh-keys}: one OpenSSH public key line; name optional. */
  public record Add(String publicKey, String name) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public Add {}
  }
}
