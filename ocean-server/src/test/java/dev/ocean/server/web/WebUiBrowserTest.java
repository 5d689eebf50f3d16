package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.QuotaRequest;
import dev.ocean.common.api.User;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.client.OceanClient;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;
import org.openqa.selenium.By;

/**
 * The web UI in a real browser against a real server with a process-runtime agent: what a new user
 * and an admin do on the guide's pages, live updates, the language switch, and isolation between
 * users.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WebUiBrowserTest {
  static final String STRONG = "Tide-P00l!s";

  WebCluster cluster;

  @BeforeAll
  void start(@TempDir Path dir) throws Exception {
    Browser.requireChromium();
    cluster = new WebCluster(dir);
  }

  @AfterAll
  void stop() throws Exception {
    if (cluster != null) {
      cluster.close();
    }
  }

  private void login(Browser b, String email, String password) {
    b.open("login");
    b.type("#login-email", email);
    b.type("#login-password", password);
    b.click("#login-submit");
    b.find("#logout");
  }

  private boolean userExists(String email) {
    return Arrays.stream(cluster.admin.get("/admin/users", User[].class))
        .anyMatch(u -> u.email().equals(email));
  }

  @Test
  void aNewUserSignsUpGetsQuotaApprovedAndWatchesTheirJobLogLive() {
    String ada = "ada@ocean.test";
    try (Browser user = new Browser(cluster.url(), "user", "en");
        Browser admin = new Browser(cluster.url(), "admin", "en")) {
      user.open("");
      user.click("#to-signup");
      user.type("#signup-email", ada);
      user.type("#signup-password", "weak");
      user.find("#password-rule li[data-ok='false']");
      user.click("#signup-submit");
      user.untilText("#signup-password-error", "weak");
      user.shot("weak-password-refused");
      assertTrue(user.driver.getCurrentUrl().endsWith("#/signup"));
      assertFalse(userExists(ada), "a refused password creates no account");

      user.type("#signup-password", STRONG);
      assertTrue(
          user.driver.findElements(By.cssSelector("#password-rule li[data-ok='false']")).isEmpty(),
          "every rule ticks for a strong password");
      user.click("#signup-submit");
      user.find("#logout");
      user.untilText("#nav-account", ada);
      user.shot("signed-up");

      user.open("volumes");
      user.type("#volume-create-name", "Bad Name!");
      user.click("#volume-create-submit");
      user.untilText("#volume-create-name-error", "name");
      user.shot("volume-error-next-to-field");
      user.type("#volume-create-name", "data");
      user.type("#volume-create-sizeGib", "1");
      user.click("#volume-create-submit");
      user.untilText("#volumes-table", "data");
      user.shot("volume-created");

      user.open("quota-requests");
      user.select("#quota-request-machineType", "cpu1");
      user.type("#quota-request-count", "1");
      user.type("#quota-request-days", "7");
      user.type("#quota-request-reason", "thesis experiments");
      user.click("#quota-request-submit");
      user.find("#quota-requests-table [data-state='pending']");
      user.shot("quota-requested");

      long request =
          Arrays.stream(cluster.admin.get("/admin/quota-requests", QuotaRequest[].class))
              .filter(r -> r.user().equals(ada))
              .findFirst()
              .orElseThrow()
              .id();
      login(admin, WebCluster.ADMIN, WebCluster.PASSWORD);
      admin.untilText("#pending-count", "1");
      admin.click("#tab-admin-quota-requests");
      admin.untilText("#pending-summary", "1");
      admin.type("#note-" + request, "good luck");
      admin.shot("admin-sees-pending-request");
      admin.click("#approve-" + request);
      admin.find("#admin-quota-requests-table [data-state='approved']");
      admin.shot("admin-approved");

      // The user's page was not reloaded: the approval arrives over the live event stream.
      user.find("#quota-requests-table [data-state='approved']");
      user.untilText("#quota-requests-table", "good luck");
      user.shot("user-sees-approval-live");
      user.open("quotas");
      user.find("#quotas-table [data-state='active']");

      user.open("jobs");
      user.type("#job-submit-name", "hello");
      user.select("#job-submit-image", "host");
      user.select("#job-submit-machineType", "cpu1");
      // line-3 carries U+202E, which would show the rest of its line reversed
      user.type(
          "#job-submit-command",
          "echo line-1; sleep 4; echo line-2; sleep 4; printf 'line-3 \\342\\200\\256RTL\\n'");
      user.click("#job-submit-submit");
      user.untilText("#job-name", "hello");
      user.untilText("#log", "line-1");
      String early = user.find("#log").getText();
      assertFalse(early.contains("line-3"), "the first line arrived while the run went on");
      assertEquals(
          null,
          user.find("#log-status").getAttribute("data-ended"),
          "the log view was still following when line-1 arrived");
      user.shot("log-arrives-live");
      user.find("#log-status[data-ended='true']");
      String whole = user.find("#log").getText();
      assertTrue(
          whole.contains("line-1") && whole.contains("line-2") && whole.contains("line-3"), whole);
      assertTrue(
          whole.contains("line-3 \\u202eRTL"), "the bidi control is shown escaped: " + whole);
      user.find("#job-state [data-state='succeeded']");
      user.shot("job-ended-log-kept");
      user.driver.navigate().refresh();
      user.find("#log-status[data-ended='true']");
      user.untilText("#log", "line-3");
      assertTrue(user.find("#log").getText().contains("line-1"), "the whole log after a reload");

      user.select("#language", "ko");
      user.untilText("#tab-jobs", "작업");
      user.untilText("#tab-volumes", "볼륨");
      user.shot("korean");
      user.driver.navigate().refresh();
      user.untilText("#tab-jobs", "작업");
      user.select("#language", "en");
      user.untilText("#tab-jobs", "Jobs");

      user.click("#logout");
      user.find("#login-email");
      user.shot("logged-out");
    }
  }

  @Test
  void anotherUsersJobIsNotReachableByUrl() {
    OceanClient anon = OceanClient.forUser(cluster.url(), null);
    anon.post("/auth/signup", new Credentials("eve@ocean.test", STRONG), Object.class);
    anon.post("/auth/signup", new Credentials("owner@ocean.test", STRONG), Object.class);
    OceanClient owner =
        OceanClient.forUser(cluster.url(), cluster.login("owner@ocean.test", STRONG));
    cluster.admin.post(
        "/admin/quotas",
        new dev.ocean.common.api.Quota.Grant("owner@ocean.test", "cpu1", 1, 1),
        Object.class);
    Job job =
        owner.post(
            "/jobs",
            new Job.Submit(
                "private-secret-job",
                "cpu1",
                "host",
                null,
                List.of("echo", "secret"),
                Map.of(),
                1,
                null,
                null,
                null),
            Job.class);
    try (Browser eve = new Browser(cluster.url(), "isolation", "en")) {
      login(eve, "eve@ocean.test", STRONG);
      eve.open("jobs/" + job.id());
      eve.find("#not-found");
      eve.shot("other-users-job-hidden");
      assertFalse(eve.driver.getPageSource().contains("private-secret-job"));
      eve.open("jobs");
      eve.find("#job-list");
      cluster.await(
          Duration.ofSeconds(10),
          "the job list loaded",
          () -> !eve.driver.findElements(By.cssSelector("#job-list .empty")).isEmpty());
      assertFalse(eve.driver.getPageSource().contains("private-secret-job"));
    }
  }

  @Test
  void aUserCreatesAnInstanceAndSeesItsSshCommandAndEditorLinkAndExtendsIt() throws Exception {
    cluster.startContainerNode();
    cluster.admin.post(
        "/machine-types",
        new dev.ocean.common.api.MachineType.Create("box", 1, 1, 0, null, 1, 4),
        Object.class);
    String user = "ina@ocean.test";
    OceanClient.forUser(cluster.url(), null)
        .post("/auth/signup", new Credentials(user, STRONG), Object.class);
    cluster.admin.post(
        "/admin/quotas", new dev.ocean.common.api.Quota.Grant(user, "box", 1, 1), Object.class);
    try (Browser b = new Browser(cluster.url(), "instance", "en")) {
      login(b, user, STRONG);
      b.open("instances");
      b.type("#instance-create-name", "dev");
      b.select("#instance-create-machineType", "box");
      b.select("#instance-create-image", "sshd");
      b.type("#instance-create-reason", "notebook");
      b.click("#instance-create-submit");
      String card = "article.instance[data-name='dev']";
      b.find(card);
      b.shot("instance-created");
      cluster.await(
          Duration.ofSeconds(180),
          "the instance runs on node2",
          () ->
              cluster
                  .admin
                  .get("/instances/dev?user=" + user, Instance.class)
                  .state()
                  .equals("running"));
      b.find(card + "[data-state='running']");
      b.untilText(card + " .ssh-command", "ssh -p ");
      String ssh = b.find(card + " .ssh-command").getText();
      assertTrue(ssh.endsWith(" linuxbrew@127.0.0.1"), ssh);
      String editor = b.find(card + " .editor-link").getAttribute("href");
      assertTrue(editor.startsWith("http://127.0.0.1:"), editor);
      assertTrue(
          b.find(card + " .vscode-link").getAttribute("href").startsWith("vscode://"),
          "VS Code link");
      b.find("#copy-ssh-dev");
      b.untilText(card + " .ssh-tunnel", "ssh ocean-dev");
      b.shot("instance-ssh-and-editor");

      assertTrue(
          b.driver.findElements(By.cssSelector(card + " .idle[data-extended-until]")).isEmpty(),
          "not extended yet");
      b.untilText(card + " .idle-summary", "stops in");
      b.type("#extend-hours-dev", "2");
      b.click("#instance-extend-dev");
      b.find(card + " .idle[data-extended-until]");
      b.shot("instance-extended");
      Instant until =
          cluster.admin.get("/instances/dev?user=" + user, Instance.class).idle().extendedUntil();
      Instant now = Instant.now();
      assertTrue(
          until.isAfter(now.plusSeconds(90 * 60)) && until.isBefore(now.plusSeconds(150 * 60)),
          "extended by the 2 hours typed, not the 4-hour cap: " + until);
    }
  }
}
