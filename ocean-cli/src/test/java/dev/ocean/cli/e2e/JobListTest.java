package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.job.Job;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** `job list` shows your own jobs; admins see everyone's, with the user, on asking. */
class JobListTest {
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
  void adminsListEveryonesJobsWithTheirUserOthersOnlyTheirOwn() {
    Ocean admin = cluster.admin();
    Ocean ada = cluster.user("ada@example.com");
    admin
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
            "1")
        .ok();
    String id =
        ada.ocean(
                "job",
                "submit",
                "--name",
                "train",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "-q",
                "--",
                "true")
            .ok()
            .out()
            .strip();

    assertEquals("", admin.ocean("job", "list", "-q").ok().out().strip(), "the admin has none");
    List<Job> all =
        admin
            .ocean("job", "list", "--all-users", "-o", "json")
            .json(new TypeReference<List<Job>>() {});
    assertEquals(List.of(Long.parseLong(id)), all.stream().map(Job::id).toList());
    String table = admin.ocean("job", "list", "--all-users").ok().out();
    assertTrue(table.lines().findFirst().orElse("").startsWith("ID  USER"), table);
    assertTrue(table.contains("ada@example.com"), table);

    String own = ada.ocean("job", "list").ok().out();
    assertTrue(!own.contains("USER") && own.contains("train"), own);
    ada.ocean("job", "list", "--all-users").fails(4);
  }
}
