package dev.ocean.server.user;

import at.favre.lib.crypto.bcrypt.BCrypt;
import java.nio.charset.StandardCharsets;

/** Slow salted password hashes (bcrypt); the cost is configurable so tests stay quick. */
public final class PasswordHasher {
  private final int cost;
  private final String dummyHash;

  public PasswordHasher(int cost) {
    this.cost = cost;
    this.dummyHash = hash("not-a-real-password-Aa1!");
  }

  public String hash(String password) {
    return BCrypt.withDefaults().hashToString(cost, password.toCharArray());
  }

  public boolean verify(String password, String hash) {
    return BCrypt.verifyer()
        .verify(password.getBytes(StandardCharsets.UTF_8), hash.getBytes(StandardCharsets.UTF_8))
        .verified;
  }

  /** Spends the time of one verification, so unknown accounts answer as slowly as known ones. */
  public void burn(String password) {
    verify(password == null ? "" : password, dummyHash);
  }
}
