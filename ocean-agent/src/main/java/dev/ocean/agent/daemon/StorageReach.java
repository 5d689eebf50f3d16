package dev.ocean.agent.daemon;

import dev.ocean.agent.runtime.process.RunAs;
import dev.ocean.common.api.node.RuntimeInfo;
import dev.ocean.common.files.StorageMarker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.Set;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.UnaryOperator;
import java.util.stream.Collectors;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Whether the account jobs run as ({@code --run-as}) can enter the volume storage ({@code
 * --storage}): every directory from {@code /} down to it must let that account search it. The agent
 * runs as root and finds the storage's marker whatever the modes, so without this check a node
 * whose storage sits under a 0700 directory looks fine and every volume job fails with "Permission
 * denied" (qa6 H4).
 */
public final class StorageReach {
  private static final Logger LOG = LoggerFactory.getLogger(StorageReach.class);

  /** An account by its numeric ids, as {@code id -u} and {@code id -G} print them. */
  record Account(String name, int uid, Set<Integer> gids) {
    /** The account named {@code user} on this machine, or null when {@code id} knows none. */
    static Account lookup(String user) {
      String uid = id("-u", user);
      String gids = id("-G", user);
      if (uid == null || gids == null || !uid.matches("\\d+") || !gids.matches("[\\d ]+")) {
        return null;
      }
      return new Account(
          user,
          Integer.parseInt(uid),
          Arrays.stream(gids.split(" ")).map(Integer::valueOf).collect(Collectors.toSet()));
    }

    private static String id(String flag, String user) {
      try {
        Process p =
            new ProcessBuilder("id", flag, "--", user)
                .redirectError(ProcessBuilder.Redirect.DISCARD)
                .start();
        String out = new String(p.getInputStream().readAllBytes()).strip();
        return p.waitFor() == 0 ? out : null;
      } catch (IOException e) {
        return null;
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return null;
      }
    }
  }

  private StorageReach() {}

  /**
   * Why jobs of a node joined with {@code --runtime runtime --run-as runAs} cannot reach {@code
   * storage}, or null when they can or run as the agent's own account.
   */
  public static String refusal(String runtime, String runAs, Path storage) {
    Account account = account(runtime, runAs);
    return account == null || storage == null ? null : refusal(account, storage);
  }

  /**
   * The heartbeat's storage report, for a node joined with {@code --runtime runtime --run-as runAs
   * --storage storage}: adds to the runtime's health whether volume storage is usable now (the
   * server's marker is there and the jobs' account reaches it) and, when not, why, so the node's
   * REASON says it; logs why each time the reason changes.
   */
  public static UnaryOperator<RuntimeInfo> watch(String runtime, String runAs, Path storage) {
    return storage == null
        ? r -> r.withVolumeStorage(false)
        : watch(account(runtime, runAs), storage);
  }

  /** Like above for the jobs' {@code account} (null: they run as the agent). */
  static UnaryOperator<RuntimeInfo> watch(Account account, Path storage) {
    AtomicReference<String> last = new AtomicReference<>();
    return r -> {
      String why = StorageMarker.refusal("--storage", storage);
      if (why == null && account != null) {
        why = refusal(account, storage);
      }
      if (why != null && !why.equals(last.getAndSet(why))) {
        LOG.warn("{}; jobs with a volume go to other nodes until it can", why);
      } else if (why == null) {
        last.set(null);
      }
      return r.withStorageProblem(why);
    };
  }

  /** The account the process runtime switches to, or null when jobs run as the agent. */
  static Account account(String runtime, String runAs) {
    if (!"process".equals(runtime) || runAs == null) {
      return null;
    }
    String user = RunAs.of(runAs, RunAs.me()).user();
    return user == null ? null : Account.lookup(user);
  }

  /**
   * Why {@code account} cannot reach {@code storage}, e.g. {@code run-as nobody cannot enter
   * --storage /x/y: /x is 0700}, or null when it can (root can always).
   */
  static String refusal(Account account, Path storage) {
    if (account.uid() == 0) {
      return null;
    }
    Path given = storage.toAbsolutePath().normalize();
    Path abs;
    try {
      abs = given.toRealPath(); // the directories the account really passes through
    } catch (IOException e) {
      return null; // missing: the marker check says so
    }
    Path dir = abs.getRoot();
    for (int i = 0; i <= abs.getNameCount(); i++) {
      if (i > 0) {
        dir = dir.resolve(abs.getName(i - 1));
      }
      String why = blocks(account, dir);
      if (why != null) {
        return "run-as " + account.name() + " cannot enter --storage " + given + ": " + dir + why;
      }
    }
    return null;
  }

  /** Why the account may not search {@code dir} (" is 0700"), or null when it may. */
  private static String blocks(Account account, Path dir) {
    try {
      int mode = (Integer) Files.getAttribute(dir, "unix:mode");
      int uid = (Integer) Files.getAttribute(dir, "unix:uid");
      int gid = (Integer) Files.getAttribute(dir, "unix:gid");
      int search = uid == account.uid() ? 0100 : account.gids().contains(gid) ? 0010 : 0001;
      return (mode & search) != 0 ? null : " is " + String.format("%04o", mode & 07777);
    } catch (IOException | UnsupportedOperationException | IllegalArgumentException e) {
      return null; // cannot tell: the marker check already says whether the storage is there
    }
  }
}
