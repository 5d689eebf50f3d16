package dev.ocean.cli.node;

import java.io.File;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.PublicKey;
import java.util.Base64;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.transport.verification.OpenSSHKnownHosts;

/**
 * Checks a host's key against the user's {@code ~/.ssh/known_hosts}, the way {@code ssh} does with
 * {@code StrictHostKeyChecking=accept-new} or {@code yes}: a changed key is always refused; an
 * unknown one is appended only when the user said so, and the refusal is remembered so the command
 * can name it.
 */
final class HostKeys extends OpenSSHKnownHosts {
  /** Why the key was refused; null while it was not. */
  private volatile String refusal;

  private final boolean acceptNew;
  private final String target;

  HostKeys(Path knownHosts, boolean acceptNew, String target) throws IOException {
    super(knownHosts.toFile());
    this.acceptNew = acceptNew;
    this.target = target;
  }

  String refusal() {
    return refusal;
  }

  @Override
  protected boolean hostKeyUnverifiableAction(String hostname, PublicKey key) {
    String fingerprint = fingerprint(key);
    if (!acceptNew) {
      refusal =
          "the host key of "
              + target
              + " ("
              + KeyType.fromKey(key)
              + " "
              + fingerprint
              + ") is not in "
              + khFile
              + "; check it and add it with ssh-keyscan, or pass --accept-new-host-key";
      return false;
    }
    try {
      File dir = khFile.getAbsoluteFile().getParentFile();
      if (dir != null && !dir.isDirectory()) {
        Files.createDirectories(
            dir.toPath(),
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      HostEntry entry = new HostEntry(null, hostname, KeyType.fromKey(key), key);
      entries().add(entry);
      write(entry);
      return true;
    } catch (IOException e) {
      refusal = "cannot add the host key of " + target + " to " + khFile + ": " + e.getMessage();
      return false;
    }
  }

  @Override
  protected boolean hostKeyChangedAction(String hostname, PublicKey key) {
    refusal =
        "WARNING: the host key of "
            + target
            + " has CHANGED (now "
            + KeyType.fromKey(key)
            + " "
            + fingerprint(key)
            + "), someone may be intercepting the connection; if the host was reinstalled, remove"
            + " its old line from "
            + khFile
            + " and try again";
    return false;
  }

  /** The key's fingerprint as {@code ssh-keygen -l} prints it: {@code SHA256:} and base64. */
  static String fingerprint(PublicKey key) {
    try {
      byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
      byte[] hash = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(hash);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("no SHA-256 in this Java runtime", e);
    }
  }
}
