package dev.ocean.agent.daemon;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.files.StorageMarker;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A {@code --run-as} account that cannot pass a directory above {@code --storage} is told at join
 * and takes no volume work (qa6 H4). Real directories and modes; the account is one whose ids own
 * none of them, so the test reads the same as root and as anyone else.
 */
class StorageReachTest {
  @TempDir Path dir;
  Path parent;
  Path storage;
  int ownerUid;
  int ownerGid;
  StorageReach.Account stranger;

  @BeforeEach
  void setUp() throws Exception {
    chmod(dir, "rwxr-xr-x"); // JUnit makes it 0700; the test's own parents must be passable
    parent = Files.createDirectories(dir.resolve("ocean"));
    storage = Files.createDirectories(parent.resolve("server/storage"));
    ownerUid = (Integer) Files.getAttribute(parent, "unix:uid");
    ownerGid = (Integer) Files.getAttribute(parent, "unix:gid");
    stranger = new StorageReach.Account("nobody", ownerUid + 54321, Set.of(ownerGid + 54321));
  }

  @Test
  void aParentDirectoryOnlyItsOwnerMayEnterIsNamedWithItsMode() throws Exception {
    chmod(parent, "rwx------");

    assertEquals(
        "run-as nobody cannot enter --storage " + storage + ": " + parent + " is 0700",
        StorageReach.refusal(stranger, storage));
  }

  @Test
  void searchPermissionForOthersIsEnough() throws Exception {
    chmod(parent, "rwx--x--x");

    assertNull(StorageReach.refusal(stranger, storage));
  }

  @Test
  void groupSearchPermissionLetsMembersInAndNoOneElse() throws Exception {
    chmod(parent, "rwx--x---");
    var member = new StorageReach.Account("member", ownerUid + 54321, Set.of(ownerGid));

    assertNull(StorageReach.refusal(member, storage));
    assertEquals(
        "run-as nobody cannot enter --storage " + storage + ": " + parent + " is 0710",
        StorageReach.refusal(stranger, storage));
  }

  @Test
  void theStorageItselfMustBeEnterable() throws Exception {
    chmod(storage, "rw-r--r--");
    try {
      assertEquals(
          "run-as nobody cannot enter --storage " + storage + ": " + storage + " is 0644",
          StorageReach.refusal(stranger, storage));
    } finally {
      chmod(storage, "rwxr-xr-x"); // so that the temporary directory can be deleted
    }
  }

  @Test
  void theOwnerAndRootPassAnyMode() throws Exception {
    chmod(parent, "rwx------");

    assertNull(StorageReach.refusal(new StorageReach.Account("me", ownerUid, Set.of()), storage));
    assertNull(StorageReach.refusal(new StorageReach.Account("root", 0, Set.of(0)), storage));
  }

  @Test
  void theHeartbeatOffersNoVolumeStorageWhileTheAccountCannotEnterIt() throws Exception {
    StorageMarker.ensure(storage);
    var heartbeat = StorageReach.watch(stranger, storage);
    RuntimeInfo health = new RuntimeInfo(RuntimeInfo.PROCESS, null, RuntimeInfo.HANDOFF_ENV, null);
    assertTrue(heartbeat.apply(health).hasVolumeStorage());
    chmod(parent, "rwx------");
    assertFalse(heartbeat.apply(health).hasVolumeStorage());
    RuntimeInfo blocked = heartbeat.apply(health);
    assertFalse(blocked.hasVolumeStorage());
    assertEquals(
        "run-as nobody cannot enter --storage " + storage + ": " + parent + " is 0700",
        blocked.storageProblem());

    chmod(parent, "rwx--x--x"); // the admin fixed it: volume work comes back
    assertTrue(heartbeat.apply(health).hasVolumeStorage());
    assertNull(heartbeat.apply(health).storageProblem());

    java.nio.file.Files.delete(storage.resolve(StorageMarker.FILE)); // unmounted
    assertTrue(heartbeat.apply(health).storageProblem().contains("is it mounted?"));
  }

  @Test
  void jobsRunningAsTheAgentItselfAreNotChecked() {
    assertNull(StorageReach.refusal("docker", "nobody", storage));
    assertNull(StorageReach.refusal("process", null, storage));
  }

  private static void chmod(Path p, String mode) throws Exception {
    Files.setPosixFilePermissions(p, PosixFilePermissions.fromString(mode));
  }
}
