package dev.ocean.common.tls;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.security.PrivateKey;
import java.security.cert.X509Certificate;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class PemTest {
  @TempDir Path dir;

  private Path cert() {
    return dir.resolve("cert.pem");
  }

  private Path key() {
    return dir.resolve("key.pem");
  }

  private void assertPair(Path keyFile) {
    X509Certificate c = Pem.certificates(cert(), "TLS certificate").getFirst();
    PrivateKey k = Pem.privateKey(keyFile, "TLS key");
    Pem.checkPair(k, c, keyFile, cert());
  }

  @Test
  void readsAnRsaKeyInPkcs8AndInTheOlderPkcs1Form() {
    Openssl.selfSigned(cert(), key(), "rsa:2048");
    assertPair(key());
    Path pkcs1 = dir.resolve("rsa1.pem");
    Openssl.run("rsa", "-in", key().toString(), "-traditional", "-out", pkcs1.toString());
    assertTrue(readString(pkcs1).contains("BEGIN RSA PRIVATE KEY"));
    assertPair(pkcs1);
  }

  @Test
  void readsAnEcKeyInPkcs8AndInTheOlderSec1Form() {
    Openssl.selfSigned(cert(), key(), "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1");
    assertPair(key());
    Path sec1 = dir.resolve("ec1.pem");
    Openssl.run("ecparam", "-name", "prime256v1", "-genkey", "-out", sec1.toString());
    assertTrue(readString(sec1).contains("BEGIN EC PARAMETERS"));
    assertTrue(readString(sec1).contains("BEGIN EC PRIVATE KEY"));
    Openssl.run(
        "req",
        "-x509",
        "-new",
        "-key",
        sec1.toString(),
        "-days",
        "1",
        "-subj",
        "/CN=localhost",
        "-out",
        cert().toString());
    assertPair(sec1);
  }

  @Test
  void aKeyOfAnotherCertificateIsRefusedNamingBothFiles() {
    Openssl.selfSigned(cert(), key(), "rsa:2048");
    Path otherCert = dir.resolve("other-cert.pem");
    Path otherKey = dir.resolve("other-key.pem");
    Openssl.selfSigned(otherCert, otherKey, "rsa:2048");
    X509Certificate c = Pem.certificates(cert(), "TLS certificate").getFirst();
    PemException e =
        assertThrows(
            PemException.class,
            () -> Pem.checkPair(Pem.privateKey(otherKey, "TLS key"), c, otherKey, cert()));
    assertEquals(
        "the key in " + otherKey + " does not belong to the certificate in " + cert(),
        e.getMessage());
  }

  @Test
  void anEncryptedKeyIsRefusedWithTheWayOut() {
    Openssl.selfSigned(cert(), key(), "rsa:2048");
    Path encrypted = dir.resolve("enc.pem");
    Openssl.run(
        "pkcs8",
        "-topk8",
        "-in",
        key().toString(),
        "-passout",
        "pass:secret",
        "-out",
        encrypted.toString());
    PemException e = assertThrows(PemException.class, () -> Pem.privateKey(encrypted, "TLS key"));
    assertTrue(e.getMessage().contains(encrypted + " holds an encrypted key"), e.getMessage());
  }

  @Test
  void garbageAndMissingFilesAreNamedInOneSentence() throws Exception {
    Path garbage = Files.writeString(dir.resolve("garbage.pem"), "not a key\n");
    assertEquals(
        "the TLS key file " + garbage + " holds no PEM private key (-----BEGIN PRIVATE KEY-----)",
        assertThrows(PemException.class, () -> Pem.privateKey(garbage, "TLS key")).getMessage());
    assertEquals(
        "the CA certificate file "
            + garbage
            + " holds no PEM certificate (-----BEGIN CERTIFICATE-----)",
        assertThrows(PemException.class, () -> Pem.certificates(garbage, "CA certificate"))
            .getMessage());
    Path missing = dir.resolve("missing.pem");
    assertEquals(
        "the TLS certificate file " + missing + " does not exist",
        assertThrows(PemException.class, () -> Pem.certificates(missing, "TLS certificate"))
            .getMessage());
    Path broken =
        Files.writeString(
            dir.resolve("broken.pem"),
            "-----BEGIN PRIVATE KEY-----\nAAAA\n-----END PRIVATE KEY-----\n");
    assertTrue(
        assertThrows(PemException.class, () -> Pem.privateKey(broken, "TLS key"))
            .getMessage()
            .contains(broken + " holds a private key that cannot be parsed"));
  }

  private static String readString(Path p) {
    try {
      return Files.readString(p);
    } catch (java.io.IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
