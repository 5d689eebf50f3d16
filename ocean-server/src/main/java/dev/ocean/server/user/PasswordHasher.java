package dev.ocean.server.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;

/**
 * Slow salted password hashes (bcrypt); the cost is configurable so tests stay quick.
 *
 * <p>bcrypt reads at most 72 bytes, and a 200-character passphrase can be 800. New hashes therefore
 * run bcrypt over the base64 SHA-256 of the password (44 bytes) and carry the {@value #PREHASHED}
 * prefix; hashes stored before that (plain bcrypt) still verify.
 */
public final class PasswordHasher {
  static final String PREHASHED = "sha256+";
  private static final int BCRYPT_MAX_BYTES = 72;

  private final int cost;
  private final String dummyHash;

  public PasswordHasher(int cost) {
    this.cost = cost;
    this.dummyHash = hash("not-a-real-password-Aa1!");
  }

  public String hash(String password) {
    return PREHASHED + BCrypt.withDefaults().hashToString(cost, prehash(password));
  }

  public boolean verify(String password, String hash) {
    if (hash.startsWith(PREHASHED)) {
      return bcrypt(
          new String(prehash(password)).getBytes(StandardCharsets.US_ASCII),
          hash.substring(PREHASHED.length()));
    }
    byte[] raw = password.getBytes(StandardCharsets.UTF_8);
    // a plain bcrypt hash was made from at most 72 bytes, so a longer password cannot match it
    return raw.length <= BCRYPT_MAX_BYTES && bcrypt(raw, hash);
  }

  /** Spends the time of one verification, so unknown accounts answer as slowly as known ones. */
  public void burn(String password) {
    verify(password == null ? "" : password, dummyHash);
  }

  private static boolean bcrypt(byte[] password, String hash) {
    return BCrypt.verifyer().verify(password, hash.getBytes(StandardCharsets.UTF_8)).verified;
  }

  private static char[] prehash(String password) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256").digest(password.getBytes(StandardCharsets.UTF_8));
      return Base64.getEncoder().encodeToString(digest).toCharArray();
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException(e);
    }
  }
}
