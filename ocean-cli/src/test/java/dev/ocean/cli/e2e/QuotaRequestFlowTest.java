package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.quota.QuotaCommand;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.QuotaRequest;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** A user asks for quota, an admin decides, the user sees the outcome. */
class QuotaRequestFlowTest {
  @TempDir java.nio.file.Path dir;
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

  private long request(Ocean who, String reason) {
    QuotaRequest r =
        who.ocean(
                "quota",
                "request",
                "--machine-type",
                "g1.small",
                "--count",
                "2",
                "--days",
                "7",
                "--reason",
                reason,
                "-o",
                "json")
            .json(QuotaRequest.class);
    assertEquals("pending", r.state());
    return r.id();
  }

  @Test
  void oneDayReadsAsOneDayAndTheApprovalNamesTheQuotaById() {
    String sent =
        ada.ocean(
                "quota",
                "request",
                "--machine-type",
                "g1.small",
                "--count",
                "1",
                "--days",
                "1",
                "--reason",
                "a test")
            .ok()
            .err();
    assertTrue(sent.contains(": 1 x g1.small for 1 day; an admin will review it."), sent);
    long id = Long.parseLong(sent.replaceAll("(?s)^Quota request (\\d+) sent.*", "$1"));
    String approved =
        admin.ocean("admin", "quota-request", "approve", String.valueOf(id)).ok().err();
    List<Quota> quotas = ada.ocean("quota", "list", "-o", "json").json(QuotaCommand.QUOTAS);
    assertTrue(approved.contains(" for 1 day as quota #" + quotas.getFirst().id() + "."), approved);
  }

  /** Invisible and reordering characters in a reason reach the admin escaped (qa7 K6). */
  @Test
  void aReasonsInvisibleCharactersAreShownEscapedInTablesAndInJson() throws Exception {
    String hidden = "a\u061cb\u200bc\ufeffd\u00ade\u2060f\u115fg\u202eh";
    long id = request(ada, hidden + " \u200d\uD83D\uDE00");
    String table = admin.ocean("admin", "quota-request", "list").ok().out();
    assertTrue(
        table.contains(
            "a\\u061cb\\u200bc\\ufeffd\\xade\\u2060f\\u115fg\\u202eh \u200d\uD83D\uDE00"),
        table);
    String json = admin.ocean("admin", "quota-request", "list", "-o", "json").ok().out();
    assertTrue(json.contains("a\\u061cb\\u200bc\\ufeffd\\u00ade\\u2060f\\u115fg\\u202eh"), json);
    var reasons =
        new com.fasterxml.jackson.databind.ObjectMapper().readTree(json).findValuesAsText("reason");
    assertTrue(reasons.contains(hidden + " \u200d\uD83D\uDE00"), "the same data: " + reasons);
    assertTrue(id > 0);
  }

  @Test
  void approvedRequestBecomesAnActiveQuotaForTheRequestedDays() {
    long id = request(ada, "fine-tune a 7B model");

    String pending = admin.ocean("admin", "quota-request", "list").ok().out();
    assertTrue(
        pending.contains("ada@example.com") && pending.contains("fine-tune a 7B model"), pending);
    assertEquals(
        String.valueOf(id), admin.ocean("admin", "quota-request", "list", "-q").out().strip());

    admin.ocean("admin", "quota-request", "approve", String.valueOf(id), "--note", "ok").ok();

    List<Quota> quotas = ada.ocean("quota", "list", "-o", "json").json(QuotaCommand.QUOTAS);
    assertEquals(1, quotas.size());
    Quota q = quotas.getFirst();
    assertEquals("g1.small", q.machineType());
    assertEquals(2, q.count());
    assertEquals("active", q.state());
    assertEquals(0, q.inUse());
    Duration ahead = Duration.between(cluster.clock.instant(), q.expiresAt());
    assertTrue(
        ahead.compareTo(Duration.ofDays(7).minusMinutes(1)) > 0
            && ahead.compareTo(Duration.ofDays(7).plusMinutes(1)) < 0,
        ahead.toString());

    QuotaRequest decided =
        ada.ocean("quota", "requests", "--all", "-o", "json")
            .json(QuotaCommand.REQUESTS)
            .getFirst();
    assertEquals("approved", decided.state());
    assertEquals("ok", decided.note());
    assertEquals(q.id(), decided.quotaId());
    assertEquals(TestCluster.ADMIN, decided.decidedBy());
    // decided requests leave the default (pending) listings
    assertEquals("", ada.ocean("quota", "requests", "-q").ok().out());
    assertEquals("", admin.ocean("admin", "quota-request", "list", "-q").ok().out());
  }

  @Test
  void rejectedRequestShowsTheStateAndTheNote() {
    long id = request(ada, "just because");

    admin
        .ocean(
            "admin",
            "quota-request",
            "reject",
            String.valueOf(id),
            "--note",
            "please explain the workload")
        .ok();

    String table = ada.ocean("quota", "requests", "--all").ok().out();
    assertTrue(table.contains("rejected") && table.contains("please explain the workload"), table);
    QuotaRequest r =
        ada.ocean("quota", "requests", "--all", "-o", "json")
            .json(QuotaCommand.REQUESTS)
            .getFirst();
    assertEquals("rejected", r.state());
    assertNull(r.quotaId());
    assertEquals(List.of(), ada.ocean("quota", "list", "-o", "json").json(QuotaCommand.QUOTAS));
  }

  @Test
  void rejectingNeedsANote() {
    long id = request(ada, "training");
    assertTrue(
        admin
            .ocean("admin", "quota-request", "reject", String.valueOf(id))
            .fails(2)
            .contains("--note"));
    String why =
        admin
            .ocean("admin", "quota-request", "reject", String.valueOf(id), "--note", " ")
            .failsWithOneLine(2);
    assertTrue(why.contains("note"), why);
    assertEquals(String.valueOf(id), ada.ocean("quota", "requests", "-q").out().strip());
  }

  @Test
  void aRequestCanBeDecidedOnlyOnce() {
    long id = request(ada, "training");
    admin.ocean("admin", "quota-request", "approve", String.valueOf(id)).ok();

    String why =
        admin.ocean("admin", "quota-request", "approve", String.valueOf(id)).failsWithOneLine(5);
    assertTrue(why.contains("already approved"), why);
    admin
        .ocean("admin", "quota-request", "reject", String.valueOf(id), "--note", "no")
        .failsWithOneLine(5);
    ada.ocean("quota", "cancel", String.valueOf(id)).failsWithOneLine(5);
    // the second approval granted nothing more
    assertEquals(1, ada.ocean("quota", "list", "-o", "json").json(QuotaCommand.QUOTAS).size());
  }

  @Test
  void usersCancelTheirOwnPendingRequestsOnly() {
    long mine = request(ada, "mine");
    Ocean bob = cluster.user("bob@example.com");
    long bobs = request(bob, "bob's");

    QuotaRequest cancelled =
        ada.ocean("quota", "cancel", String.valueOf(mine), "-o", "json").json(QuotaRequest.class);
    assertEquals("cancelled", cancelled.state());
    String why = ada.ocean("quota", "cancel", String.valueOf(bobs)).failsWithOneLine(3);
    assertTrue(why.contains("no quota request " + bobs), why);
    ada.ocean("quota", "cancel", "999").failsWithOneLine(3);

    assertEquals(String.valueOf(bobs), bob.ocean("quota", "requests", "-q").out().strip());
    assertEquals(
        String.valueOf(bobs), admin.ocean("admin", "quota-request", "list", "-q").out().strip());
    admin.ocean("admin", "quota-request", "approve", String.valueOf(mine)).failsWithOneLine(5);
  }
}
