package dev.ocean.server.sshkey;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.instance.SshKey;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SSH keys over HTTP: 400 naming publicKey, 409 for a duplicate, each user sees only theirs. */
class SshKeyRoutesTest {
  static final TypeReference<List<SshKey>> LIST = new TypeReference<>() {};

  @TempDir Path dir;
  ScriptedCluster c;

  @BeforeEach
  void start() throws Exception {
    c = new ScriptedCluster(dir, TestStorage.SQLITE);
  }

  @AfterEach
  void stop() {
    c.close();
  }

  @Test
  void addListRemoveAndRefuseBadAndDuplicateKeys() {
    SshKey added =
        c.admin.post("/ssh-keys", new SshKey.Add(SshPublicKeyTest.ED25519, null), SshKey.class);
    assertEquals("ada@laptop", added.name(), "the comment names it when no name is given");
    assertEquals("ssh-ed25519", added.type());
    assertEquals("SHA256:DaWynevzjXgD6sAIbFtkPdcbMf3if9yglTr0mQHtVHo", added.fingerprint());
    SshKey named =
        c.admin.post("/ssh-keys", new SshKey.Add(SshPublicKeyTest.ECDSA_256, "work"), SshKey.class);
    assertEquals("work", named.name());

    var dup =
        assertThrows(
            OceanApiException.class,
            () ->
                c.admin.post(
                    "/ssh-keys", new SshKey.Add(SshPublicKeyTest.ED25519, "again"), SshKey.class));
    assertEquals(409, dup.status());
    assertEquals("publicKey", dup.problem().field());
    var bad =
        assertThrows(
            OceanApiException.class,
            () -> c.admin.post("/ssh-keys", new SshKey.Add("ssh-rsa ???", null), SshKey.class));
    assertEquals(400, bad.status());
    assertEquals("publicKey", bad.problem().field());

    OceanClient.forUser(c.server.url(), null)
        .post("/auth/signup", new Credentials("bob@example.com", "Passw0rd!x"), Object.class);
    OceanClient bob = c.login("bob@example.com", "Passw0rd!x");
    assertEquals(List.of(), bob.get("/ssh-keys", LIST));
    var hidden = assertThrows(OceanApiException.class, () -> bob.delete("/ssh-keys/" + added.id()));
    assertEquals(404, hidden.status());
    bob.post("/ssh-keys", new SshKey.Add(SshPublicKeyTest.ED25519, null), SshKey.class);

    c.admin.delete("/ssh-keys/" + added.id());
    assertEquals(
        List.of("work"), c.admin.get("/ssh-keys", LIST).stream().map(SshKey::name).toList());
  }
}
