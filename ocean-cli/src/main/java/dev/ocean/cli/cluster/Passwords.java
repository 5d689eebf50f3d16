package dev.ocean.cli.cluster;

import java.security.SecureRandom;
import java.util.Base64;

/** Generates the local admin's password: 128 random bits that pass the server's password rule. */
final class Passwords {
  private static final SecureRandom RANDOM = new SecureRandom();

  private Passwords() {}

  static String generate() {
    byte[] bytes = new byte[16];
    RANDOM.nextBytes(bytes);
    // the suffix guarantees the upper-case, lower-case, digit and special character the rule asks
    return Base64.getUrlEncoder().withoutPadding().encodeToString(bytes) + "-Oc1";
  }
}
