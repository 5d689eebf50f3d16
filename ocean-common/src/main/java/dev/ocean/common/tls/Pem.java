package dev.ocean.common.tls;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyFactory;
import java.security.PrivateKey;
import java.security.Signature;
import java.security.cert.CertificateException;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.PKCS8EncodedKeySpec;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Reads the PEM files TLS is configured with: certificates (a chain, or CAs to trust) and an
 * unencrypted private key, as {@code openssl} writes them. Every failure is a {@link PemException}
 * whose sentence names the file, so a server or client can refuse to start with it as it is.
 */
public final class Pem {
  private static final Pattern BLOCK =
      Pattern.compile("-----BEGIN ([A-Z0-9 ]+)-----(.*?)-----END \\1-----", Pattern.DOTALL);

  /** Key algorithms tried in turn on a PKCS#8 key; the encoding names its own, but not by name. */
  private static final List<String> KEY_ALGORITHMS = List.of("RSA", "EC", "Ed25519", "Ed448");

  private Pem() {}

  /** The certificates in {@code file}, in order (a server's chain starts with its own). */
  public static List<X509Certificate> certificates(Path file, String what) {
    List<X509Certificate> certs = new ArrayList<>();
    try {
      CertificateFactory factory = CertificateFactory.getInstance("X.509");
      for (Block b : blocks(file, what)) {
        if (b.type().equals("CERTIFICATE") || b.type().equals("TRUSTED CERTIFICATE")) {
          certs.add(
              (X509Certificate) factory.generateCertificate(new ByteArrayInputStream(b.der())));
        }
      }
    } catch (CertificateException e) {
      throw new PemException(
          "the " + what + " file " + file + " holds a certificate that cannot be parsed", e);
    }
    if (certs.isEmpty()) {
      throw new PemException(
          "the "
              + what
              + " file "
              + file
              + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)");
    }
    return certs;
  }

  /**
   * The private key in {@code file}: PKCS#8 ({@code BEGIN PRIVATE KEY}, RSA, EC or EdDSA), or the
   * older RSA ({@code BEGIN RSA PRIVATE KEY}) and EC ({@code BEGIN EC PRIVATE KEY}) forms.
   */
  public static PrivateKey privateKey(Path file, String what) {
    for (Block b : blocks(file, what)) {
      switch (b.type()) {
        case "PRIVATE KEY" -> {
          return pkcs8(b.der(), file, what);
        }
        case "RSA PRIVATE KEY" -> {
          return pkcs8(Der.rsaToPkcs8(b.der()), file, what);
        }
        case "EC PRIVATE KEY" -> {
          byte[] pkcs8;
          try {
            pkcs8 = Der.ecToPkcs8(b.der());
          } catch (IllegalArgumentException e) {
            throw new PemException(
                "the " + what + " file " + file + " holds an EC key that cannot be parsed", e);
          }
          return pkcs8(pkcs8, file, what);
        }
        case "ENCRYPTED PRIVATE KEY" ->
            throw new PemException(
                "the "
                    + what
                    + " file "
                    + file
                    + " holds an encrypted key; decrypt it first (openssl pkcs8 -in "
                    + file
                    + " -out key.pem)");
        default -> {
          // other blocks (EC PARAMETERS, a certificate in the same file) are not the key
        }
      }
    }
    throw new PemException(
        "the "
            + what
            + " file "
            + file
            + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)");
  }

  /** Refuses a key that is not the private half of {@code cert}'s public key. */
  public static void checkPair(PrivateKey key, X509Certificate cert, Path keyFile, Path certFile) {
    String algorithm =
        switch (key.getAlgorithm()) {
          case "RSA" -> "SHA256withRSA";
          case "EC" -> "SHA256withECDSA";
          default -> key.getAlgorithm();
        };
    byte[] probe = "ocean".getBytes(StandardCharsets.US_ASCII);
    boolean matches;
    try {
      Signature signer = Signature.getInstance(algorithm);
      signer.initSign(key);
      signer.update(probe);
      byte[] signature = signer.sign();
      Signature verifier = Signature.getInstance(algorithm);
      verifier.initVerify(cert.getPublicKey());
      verifier.update(probe);
      matches = verifier.verify(signature);
    } catch (GeneralSecurityException e) {
      matches = false;
    }
    if (!matches) {
      throw new PemException(
          "the key in " + keyFile + " does not belong to the certificate in " + certFile);
    }
  }

  private static PrivateKey pkcs8(byte[] der, Path file, String what) {
    for (String algorithm : KEY_ALGORITHMS) {
      try {
        return KeyFactory.getInstance(algorithm).generatePrivate(new PKCS8EncodedKeySpec(der));
      } catch (GeneralSecurityException e) {
        // not this algorithm: try the next
      }
    }
    throw new PemException(
        "the "
            + what
            + " file "
            + file
            + " holds a private key that cannot be parsed (RSA, EC or Ed25519 expected)");
  }

  private record Block(String type, byte[] der) {}

  private static List<Block> blocks(Path file, String what) {
    String text;
    try {
      text = Files.readString(file, StandardCharsets.ISO_8859_1);
    } catch (NoSuchFileException e) {
      throw new PemException("the " + what + " file " + file + " does not exist", e);
    } catch (AccessDeniedException e) {
      throw new PemException("the " + what + " file " + file + " is not readable", e);
    } catch (IOException e) {
      throw new PemException(
          "the " + what + " file " + file + " cannot be read: " + e.getMessage(), e);
    }
    List<Block> blocks = new ArrayList<>();
    Matcher m = BLOCK.matcher(text);
    while (m.find()) {
      String body = m.group(2).replaceAll("\\s", "");
      if (body.contains(":")) {
        // "Proc-Type: 4,ENCRYPTED" headers: an old-style encrypted key
        throw new PemException(
            "the " + what + " file " + file + " holds an encrypted key; decrypt it first");
      }
      try {
        blocks.add(new Block(m.group(1), Base64.getDecoder().decode(body)));
      } catch (IllegalArgumentException e) {
        throw new PemException(
            "the " + what + " file " + file + " is not valid PEM (bad base64 in a block)", e);
      }
    }
    return blocks;
  }
}
