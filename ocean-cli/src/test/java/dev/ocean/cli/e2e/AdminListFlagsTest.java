package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.Image;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin flags no other test looks at, each seen in what the server then holds. */
class AdminListFlagsTest {
  @TempDir Path dir;
  TestCluster cluster;
  Ocean admin;
  Ocean ada;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    admin = cluster.admin();
    ada = cluster.user("ada@example.com");
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  @Test
  void quotaListShowsRevokedQuotasOnlyWithAll() {
    String kept = grant();
    String revoked = grant();
    admin.ocean("admin", "quota", "revoke", revoked).ok();
    assertEquals(List.of(kept), admin.ocean("admin", "quota", "list", "-q").ok().lines());
    assertEquals(
        List.of(kept, revoked), admin.ocean("admin", "quota", "list", "--all", "-q").ok().lines());
  }

  @Test
  void quotaRequestListShowsDecidedRequestsOnlyWithAll() {
    String pending = request();
    String rejected = request();
    admin.ocean("admin", "quota-request", "reject", rejected, "--note", "no").ok();
    assertEquals(
        List.of(pending), admin.ocean("admin", "quota-request", "list", "-q").ok().lines());
    assertEquals(
        List.of(pending, rejected),
        admin.ocean("admin", "quota-request", "list", "--all", "-q").ok().lines().stream()
            .sorted()
            .toList());
  }

  @Test
  void imageAddKeepsTheDescription() {
    admin.ocean("admin", "image", "add", "cuda", "nvidia/cuda:12", "--description", "CUDA 12").ok();
    Image cuda =
        ada.ocean("image", "list", "-o", "json").json(new TypeReference<List<Image>>() {}).stream()
            .filter(i -> i.name().equals("cuda"))
            .findFirst()
            .orElseThrow();
    assertEquals("nvidia/cuda:12", cuda.reference());
    assertEquals("CUDA 12", cuda.description());
  }

  private String grant() {
    return admin
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
            "-q")
        .ok()
        .out()
        .strip();
  }

  private String request() {
    return ada.ocean(
            "quota",
            "request",
            "--machine-type",
            "g1.small",
            "--count",
            "1",
            "--days",
            "1",
            "--reason",
            "r",
            "-q")
        .ok()
        .out()
        .strip();
  }
}
