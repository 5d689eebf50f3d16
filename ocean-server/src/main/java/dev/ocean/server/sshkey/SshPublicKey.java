package dev.ocean.server.sshkey;

import dev.ocean.server.error.Invalid;
import java.math.BigInteger;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * One OpenSSH public key line ({@code TYPE BASE64 [COMMENT]}), checked strictly: a known type, a
 * blob that decodes and names the same type in the SSH wire format, RSA of at least 2048 bits, one
 * bounded line. Its fingerprint reads like {@code ssh-keygen -l}: {@code SHA256:} and the unpadded
 * base64 of the blob's SHA-256.
 *
 * @param line the key as stored and written to {@code authorized_keys}: type, blob, comment
 */
public record SshPublicKey(String type, String line, String comment, String fingerprint) {
  static final String FIELD = "publicKey";

  /** The longest line accepted: an RSA key of 16384 bits takes about 2,800 characters. */
  public static final int MAX_LENGTH = 8192;

  private static final Set<String> TYPES =
      Set.of(
          "ssh-ed25519",
          "ecdsa-sha2-nistp256",
          "ecdsa-sha2-nistp384",
          "ecdsa-sha2-nistp521",
          "ssh-rsa",
          "sk-ssh-ed25519@openssh.com",
          "sk-ecdsa-sha2-nistp256@openssh.com");

  /** Parses the line, or throws {@link Invalid} naming {@value #FIELD} and what is wrong. */
  public static SshPublicKey parse(String text) {
    if (text == null || text.isBlank()) {
      throw invalid(
          "publicKey is required: one OpenSSH public key line such as the content of"
              + " ~/.ssh/id_ed25519.pub");
    }
    if (text.length() > MAX_LENGTH) {
      throw invalid("publicKey must be at most " + MAX_LENGTH + " characters long");
    }
    String trimmed = text.strip();
    if (trimmed.contains("\n") || trimmed.contains("\r")) {
      throw invalid("publicKey must be one line holding one key");
    }
    for (char c : trimmed.toCharArray()) {
      if (Character.isISOControl(c) && c != '\t') {
        throw invalid("publicKey must not contain control characters");
      }
    }
    String[] parts = trimmed.split("[ \t]+", 3);
    String type = parts[0];
    if (!TYPES.contains(type)) {
      throw invalid(
          "publicKey must start with a key type such as ssh-ed25519, ecdsa-sha2-nistp256 or"
              + " ssh-rsa (the content of a .pub file, not a private key or an options list)");
    }
    if (parts.length < 2) {
      throw invalid("publicKey has no key data after " + type);
    }
    byte[] blob;
    try {
      blob = Base64.getDecoder().decode(parts[1]);
    } catch (IllegalArgumentException e) {
      throw invalid("publicKey's key data is not valid base64");
    }
    checkBlob(type, blob);
    String comment = parts.length == 3 ? parts[2].strip() : "";
    String line = type + " " + parts[1] + (comment.isEmpty() ? "" : " " + comment);
    return new SshPublicKey(type, line, comment, fingerprint(blob));
  }

  private static void checkBlob(String type, byte[] blob) {
    ByteBuffer in = ByteBuffer.wrap(blob);
    String inner = new String(string(in), StandardCharsets.US_ASCII);
    if (!inner.equals(type)) {
      throw invalid("publicKey says " + type + " but its key data is of type '" + inner + "'");
    }
    switch (type) {
      case "ssh-rsa" -> {
        string(in); // public exponent
        BigInteger n = new BigInteger(string(in));
        if (n.bitLength() < 2048) {
          throw invalid(
              "publicKey is an RSA key of "
                  + n.bitLength()
                  + " bits; use at least 2048 bits, or better an ed25519 key");
        }
      }
      case "ssh-ed25519", "sk-ssh-ed25519@openssh.com" -> {
        if (string(in).length != 32) {
          throw invalid("publicKey's ed25519 key is not 32 bytes");
        }
      }
      default -> {
        string(in); // curve name
        if (string(in).length == 0) {
          throw invalid("publicKey's elliptic-curve point is empty");
        }
      }
    }
    if (type.startsWith("sk-")) {
      string(in); // application, e.g. "ssh:"
    }
    if (in.hasRemaining()) {
      throw invalid("publicKey's key data has bytes after the key");
    }
  }

  /** One SSH wire-format string: a big-endian uint32 length, then that many bytes. */
  private static byte[] string(ByteBuffer in) {
    if (in.remaining() < 4) {
      throw invalid("publicKey's key data is cut short");
    }
    int length = in.getInt();
    if (length < 0 || length > in.remaining()) {
      throw invalid("publicKey's key data is cut short");
    }
    byte[] out = new byte[length];
    in.get(out);
    return out;
  }

  static String fingerprint(byte[] blob) {
    try {
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return "SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is missing from this JVM", e);
    }
  }

  private static Invalid invalid(String message) {
    return new Invalid(FIELD, message);
  }
}
