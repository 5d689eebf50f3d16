package dev.ocean.agent.daemon;

import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.client.OceanApiException;
import dev.ocean.common.client.OceanClientException;
import dev.ocean.common.files.FileTrees;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import java.util.function.Consumer;

/**
 * The node identity a state directory already holds when {@code ocean-agent join} comes with a new
 * token. A node an admin removed, or one a reset server never heard of, is dead: its credential is
 * refused for good, so {@code join} clears it (as {@code ocean-agent leave} would) and joins anew,
 * the way {@code ocean up} does for node {@code local} (qa11 T6). An identity its server still
 * accepts, or one whose server cannot be asked, is kept and the join refused.
 */
public final class PriorIdentity {
  private PriorIdentity() {}

  /** A join refused because the directory's node may still be a member: a conflict (exit 5). */
  public static final class Kept extends IllegalStateException {
    Kept(String message) {
      super(message);
    }
  }

  /**
   * Clears {@code existing} from {@code stateDir} when its server refuses its credential, telling
   * {@code info} so; otherwise throws.
   *
   * @throws Kept when the server still accepts the credential or cannot be asked
   */
  public static void replaceIfGone(AgentConfig existing, Path stateDir, Consumer<String> info) {
    String node = existing.nodeName();
    String leave = "'ocean-agent leave --state-dir " + stateDir + "'";
    boolean accepted;
    try {
      accepted = accepted(existing, Joiner.BUSY_TRIES);
    } catch (OceanClientException e) {
      throw new Kept(
          "the state directory "
              + stateDir
              + " belongs to node "
              + node
              + " of "
              + existing.server()
              + ", which cannot be asked whether it still has that node ("
              + trimPeriod(e.getMessage())
              + "); if that node is gone, run "
              + leave
              + " first (it clears this directory even when its server is away)");
    }
    if (accepted) {
      throw new Kept(
          "the state directory "
              + stateDir
              + " belongs to node "
              + node
              + ", which "
              + existing.server()
              + " still has; start it with 'ocean-agent run --state-dir "
              + stateDir
              + "', or run "
              + leave
              + " first to join anew");
    }
    clear(stateDir, existing, w -> info.accept("Warning: " + w + "."));
    info.accept(
        "Node "
            + node
            + " is no longer known to "
            + existing.server()
            + " (removed, or the server's data was reset); cleared its old identity in "
            + stateDir
            + " and joining again.");
  }

  /** How long a refused agent gets to hear the refusal itself (its heartbeat backs off to 30 s). */
  static final Duration OWN_STOP = Duration.ofSeconds(45);

  /**
   * The lock of {@code stateDir} taken from the agent that still runs there with an identity its
   * server refuses for good (a server reset while it ran: it has not heard the refusal yet). That
   * agent is given {@link #OWN_STOP} to hear it and stop its runs itself, then is terminated. Empty
   * when no such agent holds the directory: one whose credential is taken, or whose server cannot
   * be asked, keeps it.
   */
  public static Optional<StateLock> takeOver(Path stateDir, Consumer<String> info) {
    var config = AgentConfig.load(stateDir);
    var pid = StateLock.holder(stateDir);
    if (config.isEmpty() || pid.isEmpty() || !refused(config.get())) {
      return Optional.empty();
    }
    var process = ProcessHandle.of(pid.getAsLong());
    if (process.isPresent()) {
      info.accept(
          "The agent running here (pid "
              + pid.getAsLong()
              + ") has the old identity of node "
              + config.get().nodeName()
              + ", which "
              + config.get().server()
              + " no longer knows; waiting for it to stop.");
      ProcessHandle p = process.get();
      try {
        p.onExit().get(OWN_STOP.toMillis(), TimeUnit.MILLISECONDS);
      } catch (TimeoutException late) {
        p.destroy();
        try {
          p.onExit().get(15, TimeUnit.SECONDS);
        } catch (Exception e) {
          return Optional.empty();
        }
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return Optional.empty();
      } catch (ExecutionException e) {
        return Optional.empty();
      }
    }
    try {
      return Optional.of(StateLock.acquire(stateDir));
    } catch (StateLock.Held e) {
      return Optional.empty();
    }
  }

  /**
   * Whether {@code config}'s server refuses its credential for good, asked once: {@code ocean-agent
   * run} then says so before it claims to run as that node. False when it takes it, or cannot say
   * now (the agent keeps trying to reach it).
   */
  public static boolean refused(AgentConfig config) {
    try {
      return !accepted(config, 1);
    } catch (OceanClientException e) {
      return false;
    }
  }

  /**
   * Whether the server takes this credential: it is asked about a run no node has, which a member
   * is answered (404) and a stranger refused (401) for, changing nothing.
   *
   * @throws OceanClientException when it cannot say (unreachable, busy, another protocol)
   */
  private static boolean accepted(AgentConfig config, int tries) {
    var client = AgentDaemon.agentClient(config);
    for (int attempt = 1; ; attempt++) {
      try {
        client.get(AgentProtocol.logs("0-0.0"), null);
        return true;
      } catch (OceanApiException e) {
        switch (e.status()) {
          case 401:
            return false;
          case 400, 403, 404, 409:
            return true;
          default:
            break;
        }
        var wait = RetryAfter.of(e);
        if (wait.isEmpty() || attempt >= tries) {
          throw e;
        }
        try {
          Thread.sleep(wait.get());
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
  }

  /**
   * Deletes a node identity from {@code stateDir}: its credential, status, the run records and log
   * spools of every registration, and its scratch folder. Volumes' data lives in the shared
   * storage, not here, and is kept. What cannot be deleted goes to {@code warn}.
   */
  public static void clear(Path stateDir, AgentConfig config, Consumer<String> warn) {
    try {
      Files.deleteIfExists(stateDir.resolve(AgentConfig.FILE));
      Files.deleteIfExists(stateDir.resolve(AgentStatus.FILE));
    } catch (IOException e) {
      throw new java.io.UncheckedIOException("cannot clear " + stateDir, e);
    }
    deleteTree(stateDir.resolve("registrations"), warn);
    deleteTree(
        Path.of(System.getProperty("java.io.tmpdir"), "ocean-runs-" + config.runLabel()), warn);
  }

  private static void deleteTree(Path dir, Consumer<String> warn) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      warn.accept("could not delete " + dir + ": " + e.getMessage());
    }
  }

  private static String trimPeriod(String s) {
    return s.endsWith(".") ? s.substring(0, s.length() - 1) : s;
  }
}
