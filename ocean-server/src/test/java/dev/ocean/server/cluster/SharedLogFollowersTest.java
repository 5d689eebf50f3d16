package dev.ocean.server.cluster;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;

import dev.ocean.server.job.Signals;
import dev.ocean.server.logs.LogStore;
import dev.ocean.server.logs.LogTails;
import dev.ocean.server.store.Database;
import dev.ocean.server.store.PostgresFixture;
import java.io.ByteArrayOutputStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Followers on two servers of one PostgreSQL read a log appended through both at once, with retried
 * overlapping chunks: each gets every byte once, in order, and none stalls after the last append (a
 * follower's in-memory tail never claims the log ends before bytes another append stored).
 */
class SharedLogFollowersTest {
  @TempDir Path dir;
  private final Signals signalsA = new Signals();
  private final Signals signalsB = new Signals();
  private Database dbA;
  private Database dbB;
  private Cluster clusterA;
  private Cluster clusterB;
  private LogStore logsA;
  private LogStore logsB;

  @BeforeEach
  void start() throws InterruptedException {
    String url = PostgresFixture.shared().createDatabase("shared_followers");
    dbA = Database.open(url);
    dbB = Database.open(url);
    clusterA = Cluster.on(dbA, null);
    clusterB = Cluster.on(dbB, null);
    String probe = LogStore.key(1, 9);
    long a = signalsA.version(probe);
    long b = signalsB.version(probe);
    clusterA.start(signalsA, () -> {});
    clusterB.start(signalsB, () -> {});
    signalsA.await(probe, a, 60_000); // each wakes its waiters once it listens
    signalsB.await(probe, b, 60_000);
    logsA = LogStore.inDatabase(dir.resolve("a"), signalsA, dbA.jdbi());
    logsB = LogStore.inDatabase(dir.resolve("b"), signalsB, dbB.jdbi());
  }

  @AfterEach
  void stop() {
    clusterA.close();
    clusterB.close();
    dbA.close();
    dbB.close();
  }

  /** What RunLogs does for {@code logs -f}, until {@code total} bytes arrived or 60 s passed. */
  private static CompletableFuture<byte[]> follow(LogStore logs, Signals signals, long total) {
    return CompletableFuture.supplyAsync(
        () -> {
          ByteArrayOutputStream got = new ByteArrayOutputStream();
          String key = LogStore.key(5, 0);
          long deadline = System.nanoTime() + 60_000_000_000L;
          try (LogTails.Following held = logs.follow(5, 0)) {
            while (got.size() < total && System.nanoTime() < deadline) {
              long seen = signals.version(key);
              LogTails.Read r = logs.readNext(5, 0, got.size(), 64 * 1024, seen);
              got.write(r.array(), r.off(), r.len());
              if (r.atEnd() && got.size() < total) {
                signals.await(key, seen, 60_000);
              }
            }
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
          return got.toByteArray();
        },
        Thread::startVirtualThread);
  }

  @Test
  void followersOnBothServersGetEveryByteOnceWhileBothServersAppendAtOnce() throws Exception {
    byte[] log = new byte[3 << 20];
    new Random(7).nextBytes(log);
    List<CompletableFuture<byte[]>> followers = new ArrayList<>();
    for (int i = 0; i < 8; i++) {
      followers.add(
          follow(i % 2 == 0 ? logsA : logsB, i % 2 == 0 ? signalsA : signalsB, log.length));
    }
    // an agent's chunks reach both servers at once (a retry to the other one): each appender
    // resends up to 100 bytes already stored, from the size its server acknowledged
    List<CompletableFuture<Void>> appenders = new ArrayList<>();
    for (LogStore logs : List.of(logsA, logsB)) {
      appenders.add(
          CompletableFuture.runAsync(
              () -> {
                Random r = new Random(logs == logsA ? 3 : 4);
                long end = 0;
                while (end < log.length) {
                  long from = Math.max(0, end - r.nextInt(100));
                  int n = (int) Math.min(1 + r.nextInt(200_000), log.length - from);
                  end =
                      logs.append(5, 0, from, Arrays.copyOfRange(log, (int) from, (int) from + n));
                }
              },
              Thread::startVirtualThread));
    }
    for (CompletableFuture<Void> a : appenders) {
      a.get(90, TimeUnit.SECONDS);
    }
    for (CompletableFuture<byte[]> f : followers) {
      assertArrayEquals(log, f.get(90, TimeUnit.SECONDS), "a follower got every byte once");
    }
  }
}
