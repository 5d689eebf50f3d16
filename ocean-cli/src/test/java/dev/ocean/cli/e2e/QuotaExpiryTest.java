package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.quota.QuotaCommand;
import dev.ocean.common.api.AuditEntry;
import dev.ocean.common.api.Quota;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Quotas end when their time is up, and the audit log says so. */
class QuotaExpiryTest {
  @TempDir java.nio.file.Path dir;
  TestCluster cluster;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void grantedQuotaExpiresAfterItsDaysAndIsAudited() {
    Ocean ada = cluster.user("ada@example.com");
    Quota granted =
        cluster
            .admin()
            .ocean(
                "admin",
                "quota",
                "grant",
                "ada@example.com",
                "--machine-type",
                "g1.small",
                "--count",
                "1",
                "--days",
                "1",
                "-o",
                "json")
            .json(Quota.class);
    assertEquals("active", granted.state());
    assertEquals(1, ada.ocean("quota", "list", "-o", "json").json(QuotaCommand.QUOTAS).size());

    cluster.clock.advance(Duration.ofHours(23));
    cluster.server.sweepNow();
    assertEquals(1, ada.ocean("quota", "list", "-o", "json").json(QuotaCommand.QUOTAS).size());

    cluster.clock.advance(Duration.ofHours(2));
    cluster.server.sweepNow();

    assertEquals("", ada.ocean("quota", "list", "-q").ok().out());
    List<Quota> all = ada.ocean("quota", "list", "--all", "-o", "json").json(QuotaCommand.QUOTAS);
    assertEquals(1, all.size());
    assertEquals("expired", all.getFirst().state());
    assertTrue(ada.ocean("quota", "list", "--all").out().contains("expired"));

    List<AuditEntry> audit =
        cluster
            .admin()
            .ocean("admin", "audit", "-o", "json")
            .json(new TypeReference<List<AuditEntry>>() {});
    AuditEntry expire =
        audit.stream().filter(e -> e.action().equals("quota.expire")).findFirst().orElseThrow();
    assertEquals("quota/" + granted.id(), expire.resource());
    assertEquals("system", expire.actor());
    assertEquals(cluster.clock.instant(), expire.at());
  }

  @Test
  void sweepingAgainChangesNothing() {
    cluster.user("ada@example.com");
    cluster.grant("ada@example.com", "g1.small", 1, 1);
    cluster.clock.advance(Duration.ofDays(2));
    cluster.server.sweepNow();
    cluster.server.sweepNow();

    List<AuditEntry> audit =
        cluster
            .admin()
            .ocean("admin", "audit", "-o", "json")
            .json(new TypeReference<List<AuditEntry>>() {});
    assertEquals(1, audit.stream().filter(e -> e.action().equals("quota.expire")).count());
  }
}
