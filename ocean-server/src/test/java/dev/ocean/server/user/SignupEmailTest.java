package dev.ocean.server.user;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.User;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Signup refuses an address that cannot receive mail, with a 400 problem naming the field. */
class SignupEmailTest {
  @TempDir Path dir;

  @Test
  void markupAndUndottedDomainsAreRefusedNamingEmail() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      OceanClient anon = OceanClient.forUser(c.server.url(), null);
      for (String bad : new String[] {"<script>alert(1)</script>@example.com", "a@b"}) {
        OceanApiException e =
            assertThrows(
                OceanApiException.class,
                () -> anon.post("/auth/signup", new Credentials(bad, "Good-pass-123!"), User.class),
                bad);
        assertEquals(400, e.status(), bad);
        assertTrue(e.getMessage().startsWith("email must be a valid address"), e.getMessage());
      }
      User ok =
          anon.post(
              "/auth/signup", new Credentials("ada@example.com", "Good-pass-123!"), User.class);
      assertEquals("ada@example.com", ok.email());
    }
  }
}
