package dev.ocean.server.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Volume;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.function.Executable;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/**
 * Who may see and change an instance, and what it holds: one quota unit from create until delete
 * (also while stopped), nobody else's instance exists for a user, admins act on anyone's.
 */
class InstanceAccessTest {
  static final TypeReference<List<Instance>> LIST = new TypeReference<>() {};

  @TempDir Path dir;
  ScriptedCluster c;
  OceanClient ada;
  OceanClient bob;

  void start(TestStorage storage) throws Exception {
    c = new ScriptedCluster(dir, storage);
    ada = user("ada@example.com", 1);
    bob = user("bob@example.com", 1);
  }

  @AfterEach
  void stop() {
    if (c != null) {
      c.close();
    }
  }

  private OceanClient user(String email, int units) {
    OceanClient.forUser(c.server.url(), null)
        .post("/auth/signup", new Credentials(email, "Passw0rd!x"), Object.class);
    c.admin.post("/admin/quotas", new Quota.Grant(email, "g1", units, 1), Quota.class);
    return c.login(email, "Passw0rd!x");
  }

  private static Instance create(OceanClient who, String name) {
    return who.post(
        "/instances", new Instance.Create(name, "g1", "busybox", null, null), Instance.class);
  }

  private static int status(Executable call) {
    return assertThrows(OceanApiException.class, call).status();
  }

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void oneUnitIsHeldFromCreateUntilDeleteAlsoWhileStopped(TestStorage storage) throws Exception {
    start(storage);
    create(ada, "one");
    var refused = assertThrows(OceanApiException.class, () -> create(ada, "two"));
    assertEquals(409, refused.status());
    assertEquals("Quota exceeded", refused.problem().title());

    ada.post("/instances/one/stop", null, Instance.class);
    assertEquals("stopped", ada.get("/instances/one", Instance.class).state());
    assertEquals(409, status(() -> create(ada, "two")), "a stopped instance still holds its unit");

    ada.delete("/instances/one");
    assertEquals("two", create(ada, "two").name(), "delete freed the unit");
  }

  @Test
  void anotherUsersInstanceDoesNotExistForThemButAdminsActOnIt() throws Exception {
    start(TestStorage.SQLITE);
    create(ada, "box");

    assertEquals(404, status(() -> bob.get("/instances/box", Instance.class)));
    assertEquals(404, status(() -> bob.post("/instances/box/stop", null, Instance.class)));
    assertEquals(404, status(() -> bob.post("/instances/box/start", null, Instance.class)));
    assertEquals(404, status(() -> bob.get("/instances/box/logs", String.class)));
    assertEquals(404, status(() -> bob.delete("/instances/box")));
    assertEquals(403, status(() -> bob.get("/instances/box?user=ada@example.com", Instance.class)));
    assertEquals(403, status(() -> bob.get("/instances?all=true", LIST)));
    assertEquals(List.of(), bob.get("/instances", LIST));

    create(bob, "box");
    List<Instance> all = c.admin.get("/instances?all=true", LIST);
    assertEquals(
        List.of("ada@example.com", "bob@example.com"), all.stream().map(Instance::user).toList());
    assertEquals(List.of(), c.admin.get("/instances", LIST), "the admin has none of their own");

    Instance stopped =
        c.admin.post("/instances/box/stop?user=ada@example.com", null, Instance.class);
    assertEquals("stopped", stopped.state());
    assertEquals("stopped by admin admin@example.com", stopped.stateReason());
    c.admin.delete("/instances/box?user=ada@example.com");
    assertEquals(404, status(() -> ada.get("/instances/box", Instance.class)));
    assertEquals("bob@example.com", bob.get("/instances/box", Instance.class).user());
  }

  @Test
  void anInstancesVolumeIsClaimedUntilTheInstanceIsDeleted() throws Exception {
    start(TestStorage.SQLITE);
    ada.post("/volumes", new Volume.Create("home", 1), Volume.class);
    ada.post(
        "/instances", new Instance.Create("box", "g1", "busybox", "home", null), Instance.class);
    var a = c.next();
    assertTrue(a.volumePath().endsWith("/home"), "the agent mounts the volume: " + a.volumePath());
    assertEquals(
        404,
        status(
            () ->
                bob.post(
                    "/instances",
                    new Instance.Create("box", "g1", "busybox", "home", null),
                    Instance.class)));

    assertEquals(409, status(() -> ada.delete("/volumes/home")));
    ada.delete("/instances/box");
    ada.delete("/volumes/home");
  }
}
