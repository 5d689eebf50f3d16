package dev.ocean.server.sshkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.error.Invalid;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/**
 * OpenSSH public key lines, checked strictly, with fingerprints exactly as ssh-keygen -l prints.
 */
class SshPublicKeyTest {
  // Generated with ssh-keygen; the fingerprints are what `ssh-keygen -lf` printed for them.
  static final String ED25519 =
      "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIak9hwix0Q3gjIcYOPFNMwveKiYTJo2Tu05rBscIB6z ada@laptop";
  static final String RSA_2048 =
      "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAABAQDZAp+lkSqxGsMDWtQWjA4gPfqKMKsVokXkmyNGz/ALIKBysjTXFN17/BdRKBbEXvGMFoiBOyQ8XF1utvkC5Izu4SxjwKRvpbhbK/339DpoHeY73cOFmFAhPsSli3bEGOBXvgtNNUY8sI2vXndi9IupCwJsVhwYYsL9MkF7l+cVn+ZYwgvlYTtyPg6vMjr6TgZQCmnZbg6Z9BKxkhWeUKFxihhw0S9UX6SxZrgnRZy32TqQgIN4+9P42gqwkHbsbSftichbvlg6MsylWsXF+PrOqm9se+r+iJzEkgyx9vrqMKb8RCz33JIQPNP4IpsdPELLKxUf6QywCr2rI/orku+/ ada@laptop";
  static final String RSA_1024 =
      "ssh-rsa AAAAB3NzaC1yc2EAAAADAQABAAAAgQDK086idCxlJd5wNxVKpyM341i7e7EP36AhAw/EnXC1Z1AhxulPQIoN1UbgKbvMVAhMgbDyoQ948EHtgTXeOSf4cny2tdNFPQzsHZcIiwzdAvi2E8dD71K2YcJOckYkhzcEDu8SPDNzHeTwChChqsgU/hxfxPbNZ9fbhiHr7vRbIQ== ada@laptop";
  static final String ECDSA_256 =
      "ecdsa-sha2-nistp256 AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBCgLVdRy+a29ZKxFsQlq1N3Zso06Cyba8xkhEVP/iK904v1t6LVeLZ1r7oAiEzkJR/pSaLouIZ/WxJRT6OdJYss= ada@laptop";

  @Test
  void fingerprintsMatchSshKeygen() {
    assertEquals(
        "SHA256:DaWynevzjXgD6sAIbFtkPdcbMf3if9yglTr0mQHtVHo",
        SshPublicKey.parse(ED25519).fingerprint());
    assertEquals(
        "SHA256:ezLzYUS4c8WV7qKZSCqaq+AtPbZKFkQcskWoy2OQvc4",
        SshPublicKey.parse(RSA_2048).fingerprint());
    assertEquals(
        "SHA256:a2RjoiX/h/SvRL29Xrdc/jOX9EToHbmVX3m+ETaZGDM",
        SshPublicKey.parse(ECDSA_256).fingerprint());
  }

  @Test
  void keepsTypeKeyAndCommentAndTrimsTheLine() {
    SshPublicKey k = SshPublicKey.parse("  " + ED25519 + "\n");
    assertEquals("ssh-ed25519", k.type());
    assertEquals("ada@laptop", k.comment());
    assertEquals(ED25519, k.line());
  }

  @Test
  void refusesWhatIsNotOneGoodPublicKey() {
    String ed = ED25519.split(" ")[1];
    assertRefused("ssh-ed25519 not*base64!", "base64");
    assertRefused("ssh-dss " + ed, "key type");
    assertRefused("ssh-rsa " + ed, "ssh-ed25519");
    assertRefused(ED25519 + "\n" + ECDSA_256, "one line");
    assertRefused("ssh-ed25519 " + ed + " " + "x".repeat(SshPublicKey.MAX_LENGTH), "at most");
    assertRefused(RSA_1024, "1024 bits");
    assertRefused("-----BEGIN OPENSSH PRIVATE KEY-----", "key type");
    assertRefused("", "required");
    assertRefused("ssh-ed25519", "no key data");
    byte[] blob = Base64.getDecoder().decode(ed);
    byte[] cut = java.util.Arrays.copyOf(blob, blob.length - 3);
    assertRefused("ssh-ed25519 " + Base64.getEncoder().encodeToString(cut), "");
  }

  private static void assertRefused(String line, String says) {
    Invalid e = assertThrows(Invalid.class, () -> SshPublicKey.parse(line), line);
    assertEquals("publicKey", e.field());
    assertTrue(e.getMessage().contains(says), e.getMessage());
  }
}
