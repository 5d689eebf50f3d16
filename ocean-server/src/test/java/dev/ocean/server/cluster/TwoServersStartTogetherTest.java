package dev.ocean.server.cluster;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Session;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.OceanServer;
import dev.ocean.server.ServerConfig;
import dev.ocean.server.store.PostgresFixture;
import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Servers started at the same moment on a new PostgreSQL database, all told to create the same
 * admin account (as one service definition copied to every machine does), all start: the account is
 * made once and the others find it (qa8 Q1: one of them died "an account … already exists").
 */
class TwoServersStartTogetherTest {
  @TempDir Path dir;

  @Test
  void serversStartedTogetherWithTheSameAdminAllStartAndShareOneAccount() throws Exception {
    String url = PostgresFixture.shared().createDatabase("start_together");
    int servers = 4;
    CountDownLatch go = new CountDownLatch(1);
    List<CompletableFuture<OceanServer>> started = new ArrayList<>();
    for (int i = 0; i < servers; i++) {
      ServerConfig config =
          new ServerConfig(dir.resolve("data" + i))
              .port(0)
              .host("127.0.0.1")
              .bcryptCost(8) // hashing before the insert widens the race the fix is about
              .adminEmail("admin@example.com")
              .adminPassword("Admin123!x")
              .dbUrl(url);
      started.add(
          CompletableFuture.supplyAsync(
              () -> {
                try {
                  go.await();
                  return OceanServer.start(config, new PrintStream(PrintStream.nullOutputStream()));
                } catch (Exception e) {
                  throw new IllegalStateException(e);
                }
              },
              Thread::startVirtualThread));
    }
    go.countDown();
    List<OceanServer> up = new ArrayList<>();
    try {
      for (CompletableFuture<OceanServer> f : started) {
        up.add(f.get());
      }
      for (OceanServer s : up) {
        Session session =
            OceanClient.forUser(s.url(), null)
                .post(
                    "/auth/login",
                    new Credentials("admin@example.com", "Admin123!x"),
                    Session.class);
        assertEquals(
            1,
            OceanClient.forUser(s.url(), session.token())
                .get("/admin/users", Object[].class)
                .length,
            "one account");
      }
    } finally {
      up.forEach(OceanServer::close);
      for (CompletableFuture<OceanServer> f : started) {
        f.thenAccept(OceanServer::close);
      }
    }
  }
}
