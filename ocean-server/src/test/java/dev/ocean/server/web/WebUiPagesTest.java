package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.User;
import dev.ocean.common.api.instance.Instance;
import dev.ocean.common.client.OceanClient;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
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
class WebUiPagesTest {
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
  void theLanguageComesFromTheBrowserAndTheSwitchShowsKorean() {
    try (Browser ko = new Browser(cluster.url(), "lang-ko", "ko-KR")) {
      ko.open("login");
      ko.untilText("h1", "Ocean 로그인");
      ko.shot("korean-browser");
      ko.select("#language", "en");
      ko.untilText("h1", "Log in to Ocean");
      ko.select("#language", "ko");
      ko.untilText("#login-submit", "로그인");
    }
  }

  static final List<String> USER_TABS =
      List.of("instances", "volumes", "jobs", "quota-requests", "quotas", "board");
  static final List<String> ADMIN_TABS =
      List.of(
          "admin-users",
          "admin-quota-requests",
          "admin-quotas",
          "admin-machine-types",
          "admin-images",
          "admin-nodes",
          "admin-join-tokens",
          "admin-audit",
          "admin-tips");

  /**
   * Clicks through the tabs: each renders its list without an error on the page, and at phone width
   * without sideways scrolling; a screenshot of each.
   */
  private void tour(Browser b, List<String> tabs, boolean phone) {
    for (String tab : tabs) {
      b.click("#tab-" + tab);
      b.until(
          d -> d.getCurrentUrl().endsWith("#/" + tab.replaceFirst("^admin-", "admin/")),
          "the " + tab + " tab");
      b.find("main h1");
      cluster.await(
          Duration.ofSeconds(10),
          "the " + tab + " tab loaded",
          () ->
              b.driver
                      .findElements(
                          By.cssSelector(
                              "main .table-wrap, main .empty, main .tips, main .cards, main .grid"))
                      .size()
                  > 0);
      List<String> errors =
          b.driver.findElements(By.cssSelector("main [role='alert']")).stream()
              .map(e -> e.getText())
              .filter(t -> !t.isBlank())
              .toList();
      assertEquals(List.of(), errors, tab + " shows no error; console:\n" + b.console());
      if (phone) {
        long overflow =
            (Long)
                b.driver.executeScript(
                    "return document.documentElement.scrollWidth - window.innerWidth;");
        assertTrue(overflow <= 0, tab + ": no sideways scrolling at phone width: " + overflow);
      }
      b.shot(tab + (phone ? "-phone" : ""));
    }
  }

  @Test
  void everyTabRendersForTheAdminOnALaptopAndAPhone() {
    cluster.admin.post(
        "/admin/quotas",
        new dev.ocean.common.api.Quota.Grant(WebCluster.ADMIN, "cpu1", 1, 1),
        Object.class);
    cluster.admin.post(
        "/images",
        new dev.ocean.common.api.Image.Create(
            "tour-image", "localhost/tour:latest", null, dev.ocean.common.api.Image.CONTAINER),
        Object.class);
    cluster.admin.post(
        "/instances",
        new Instance.Create("tour-box", "cpu1", "tour-image", null, "tour"),
        Object.class);
    // a reason that a browser would show backwards ("gpu-for-fdp.exe" as "gpu-for-exe.pdf")
    cluster.admin.post(
        "/quota-requests",
        new dev.ocean.common.api.QuotaRequest.Create("cpu1", 1, 1, "gpu-for-\u202efdp.exe"),
        Object.class);
    List<String> tabs = new java.util.ArrayList<>(USER_TABS);
    tabs.addAll(ADMIN_TABS);
    try (Browser b = new Browser(cluster.url(), "tour", "en")) {
      login(b, WebCluster.ADMIN, WebCluster.PASSWORD);
      tour(b, tabs, false);
      // the join command hands the token over in the environment, never on the command line
      b.click("#tab-admin-join-tokens");
      b.click("#join-token-create-submit");
      b.untilText("#join-token-created", "OCEAN_JOIN_TOKEN=ocj_");
      String join = b.find("#join-token-created").getText();
      assertTrue(!join.contains("--token"), join);
      b.click("#tab-admin-quota-requests");
      b.untilText("#admin-quota-requests-table", "gpu-for-\\u202efdp.exe");
      assertEquals(List.of(), b.consoleErrors(), "no script error or CSP violation on any tab");
      b.driver.executeScript("console.error('probe-of-the-console-check')");
      assertTrue(
          b.consoleErrors().toString().contains("probe-of-the-console-check"),
          "the console check sees errors");

      // An instance that cannot be placed (this cluster has no container node) says why.
      b.click("#tab-instances");
      String card = "article.instance[data-name='tour-box']";
      b.find(card + " [data-state='pending']");
      b.untilText(card, "container runtime");
      b.shot("instance-waits-with-reason");
      b.click("#tab-board");
      b.untilText("#board-pending-table", "instance tour-box");
      b.untilText("#board-pending-table", "container runtime");
      b.shot("board-lists-waiting-instance");

      b.click("#tab-admin-nodes");
      b.untilText("#nodes-table", "node1");
      b.untilText("#nodes-table [data-runtime='process']", "no instances");
      b.find("#node-charts .chart canvas");
      b.shot("node-charts");
      b.click("#nav-account");
      b.untilText("#cli-login", "ocean login --server " + cluster.url());
      b.untilText("#token-list [data-kind='session']", "Browser session");
      b.untilText("#token-list [data-kind='api']", "CLI");
      b.shot("account");

      b.driver.manage().window().setSize(new org.openqa.selenium.Dimension(390, 844));
      tour(b, tabs, true);
      b.click("#nav-account");
      b.untilText("#cli-login", "ocean login --server");
      b.shot("account-phone");
      assertEquals(List.of(), b.consoleErrors(), "no script error at phone width");
    }
  }

  @Test
  void aUserSeesTheUserTabsAndNoAdminTabs() {
    OceanClient.forUser(cluster.url(), null)
        .post("/auth/signup", new Credentials("tourist@ocean.test", STRONG), Object.class);
    try (Browser b = new Browser(cluster.url(), "user-tour", "ko")) {
      login(b, "tourist@ocean.test", STRONG);
      tour(b, USER_TABS, false);
      assertTrue(b.driver.findElements(By.cssSelector("#tab-admin-users")).isEmpty());
      b.open("admin/users");
      b.find("#not-found");
      b.click("#nav-account");
      b.find("#cli-login");
      b.shot("account");
      assertEquals(List.of(), b.consoleErrors(), "no script error on the user's tabs");
    }
  }

  @Test
  void anAdminSetsAndTurnsOffIdleStopOfAMachineType() {
    try (Browser b = new Browser(cluster.url(), "idle-stop", "en")) {
      login(b, WebCluster.ADMIN, WebCluster.PASSWORD);
      b.open("admin/machine-types");
      b.type("#machine-type-create-name", "idlebox");
      b.type("#machine-type-create-gpus", "0");
      b.type("#machine-type-create-idleStopHours", "3");
      b.type("#machine-type-create-idleExtendMaxHours", "8");
      b.click("#machine-type-create-submit");
      b.untilText("#machine-type-list", "after 3 h idle; extend up to 8 h");
      b.shot("idle-stop-set");
      assertEquals(3, idleStopHours("idlebox"));

      b.find("#idle-stop-idlebox").clear();
      b.click("#idle-stop-save-idlebox");
      b.find(".idle-stop:not([data-hours])");
      b.shot("idle-stop-off");
      assertEquals(null, idleStopHours("idlebox"));
    }
  }

  private Integer idleStopHours(String type) {
    return Arrays.stream(
            cluster.admin.get("/machine-types", dev.ocean.common.api.MachineType[].class))
        .filter(m -> m.name().equals(type))
        .findFirst()
        .orElseThrow()
        .idleStopHours();
  }

  @Test
  void anAdminStopsAnotherUsersInstanceFromTheInstancesTab() {
    String owner = "forgetful@ocean.test";
    OceanClient.forUser(cluster.url(), null)
        .post("/auth/signup", new Credentials(owner, STRONG), Object.class);
    cluster.admin.post(
        "/admin/quotas", new dev.ocean.common.api.Quota.Grant(owner, "cpu1", 1, 1), Object.class);
    cluster.admin.post(
        "/images",
        new dev.ocean.common.api.Image.Create(
            "left-image", "localhost/left:latest", null, dev.ocean.common.api.Image.CONTAINER),
        Object.class);
    OceanClient.forUser(cluster.url(), cluster.login(owner, STRONG))
        .post(
            "/instances",
            new Instance.Create("left-on", "cpu1", "left-image", null, null),
            Object.class);
    try (Browser b = new Browser(cluster.url(), "admin-instances", "en")) {
      login(b, WebCluster.ADMIN, WebCluster.PASSWORD);
      b.open("instances");
      b.find("#instance-list");
      String card = "article.instance[data-name='left-on'][data-user='" + owner + "']";
      assertTrue(b.driver.findElements(By.cssSelector(card)).isEmpty(), "only the admin's own");
      b.click("#instances-everyone");
      b.untilText(card, owner);
      b.shot("everyones-instances");
      b.find(card + " button[id^='instance-stop-']").click();
      b.find(card + "[data-state='stopped']");
      b.shot("stopped-by-admin");
      assertEquals(
          "stopped", cluster.admin.get("/instances/left-on?user=" + owner, Instance.class).state());
    }
  }

  @Test
  void thePagesPasswordRuleIsTheServers() {
    List<String> samples =
        List.of(
            "Sh0rt!a",
            "alllower1!",
            "ALLUPPER1!",
            "NoDigits!!",
            "NoSpecial11",
            STRONG,
            "Ünïcode1!x",
            "with space A1",
            "비밀번호Aa1!",
            "Aa1!".repeat(50),
            "Aa1!".repeat(50) + "x");
    try (Browser b = new Browser(cluster.url(), "rule", "en")) {
      b.open("login");
      b.find("#login-email");
      @SuppressWarnings("unchecked")
      List<Boolean> page =
          (List<Boolean>)
              b.driver.executeAsyncScript(
                  "const done = arguments[arguments.length - 1];"
                      + "import('/assets/password.js').then(m => done(arguments[0].map(m.acceptable)));",
                  samples);
      List<Boolean> server =
          samples.stream()
              .map(p -> dev.ocean.common.validation.Rules.password(p).isEmpty())
              .toList();
      assertEquals(server, page, "page and server agree on " + samples);
    }
  }
}
