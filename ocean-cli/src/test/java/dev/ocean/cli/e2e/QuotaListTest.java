package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.Quota;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean quota list}: each grant's IN USE is what that grant covers, so grants of the same
 * machine type add up to what is in use instead of each showing the total (QA G9).
 */
class QuotaListTest {
  private static final TypeReference<List<Quota>> QUOTAS = new TypeReference<>() {};

  @TempDir Path dir;
  TestCluster cluster;
  Ocean ada;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    ada = cluster.user("ada@example.com");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private void grant(int count) {
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
            String.valueOf(count),
            "--days",
            "1")
        .ok();
  }

  @Test
  void twoGrantsOfOneTypeShareWhatIsInUseInTableAndJson() {
    grant(2);
    grant(2);
    ada.ocean(
            "job",
            "submit",
            "--name",
            "sweep",
            "--machine-type",
            "g1.small",
            "--image",
            "pytorch",
            "--repeat",
            "3",
            "--parallel",
            "3",
            "-q",
            "--",
            "true")
        .ok();

    List<Quota> json = ada.ocean("quota", "list", "-o", "json").json(QUOTAS);
    List<String> rows = ada.ocean("quota", "list").ok().out().lines().skip(1).toList();
    List<Quota> everyone =
        cluster.admin().ocean("admin", "quota", "list", "-o", "json").json(QUOTAS);

    assertEquals(List.of(2, 1), json.stream().map(Quota::inUse).toList());
    assertEquals(2, rows.size(), String.join("\n", rows));
    assertEquals(List.of("2", "1"), rows.stream().map(r -> r.split("\\s+")[3]).toList(), "IN USE");
    assertEquals(List.of(2, 1), everyone.stream().map(Quota::inUse).toList());
  }

  @Test
  void anAdminListsOneUsersQuotasWithUser() {
    // qa7 K12: `admin quota list --user EMAIL` was an unknown option, with no way to filter
    cluster.user("bob@example.com");
    grant(2);
    cluster
        .admin()
        .ocean(
            "admin",
            "quota",
            "grant",
            "bob@example.com",
            "--machine-type",
            "g1.small",
            "--count",
            "1",
            "--days",
            "1")
        .ok();

    List<Quota> ada =
        cluster
            .admin()
            .ocean("admin", "quota", "list", "--user", "ADA@example.com", "-o", "json")
            .json(QUOTAS);
    List<Quota> everyone =
        cluster.admin().ocean("admin", "quota", "list", "--all", "-o", "json").json(QUOTAS);
    String unknown =
        cluster
            .admin()
            .ocean("admin", "quota", "list", "--user", "nobody@example.com")
            .failsWithOneLine(3);

    assertEquals(List.of("ada@example.com"), ada.stream().map(Quota::user).toList());
    assertEquals(2, everyone.size());
    assertEquals(true, unknown.contains("no user with email nobody@example.com"), unknown);
  }
}
