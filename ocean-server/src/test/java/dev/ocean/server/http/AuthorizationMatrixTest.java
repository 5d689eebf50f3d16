package dev.ocean.server.http;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.common.api.ApiToken;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.QuotaRequest;
import dev.ocean.common.api.Volume;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.server.http.Routes.Route;
import dev.ocean.server.user.Role;
import java.net.http.HttpResponse;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Every route of {@link Routes#table} against every kind of caller, by its own method and by GET
 * and HEAD. Generated from the table, so a new route is covered the moment it is added.
 */
class AuthorizationMatrixTest {
  /** The callers, refused ones first: the allowed ones change state (logout, delete). */
  enum Caller {
    ANONYMOUS,
    GARBAGE_TOKEN,
    REVOKED_TOKEN,
    DISABLED_USER,
    REMOVED_NODE,
    NODE,
    OTHER_USER,
    OWNER,
    ADMIN
  }

  /** What a caller must get from a route: refused with this status, or let through. */
  record Expect(int status, boolean found) {
    static final Expect THROUGH = new Expect(0, false);
    static final Expect HIDDEN = new Expect(404, false);
    static final Expect FOUND = new Expect(0, true);
  }

  @TempDir Path dir;
  Harness h;
  final Map<Caller, String> tokens = new LinkedHashMap<>();
  final Map<String, String> params = new LinkedHashMap<>();

  @BeforeEach
  void start() throws Exception {
    h = new Harness(dir);
    String admin = h.login(Harness.ADMIN);
    var a = h.client(admin);
    a.post(
        "/machine-types",
        new MachineType.Create("g1", 1, 1, 0, null, null, null),
        MachineType.class);
    a.post("/images", new Image.Create("img", "busybox:latest", null, null), Image.class);
    String owner = h.user("owner@example.com");
    String other = h.user("other@example.com");
    h.user("victim@example.com");
    String revoked = h.user("revoked@example.com");
    h.client(revoked).post("/auth/logout", null, Void.class);
    String disabled = h.user("disabled@example.com");
    a.post("/admin/users/disabled@example.com/disable", null, Object.class);
    String node = h.node(admin, "n1");
    String removed = h.node(admin, "n2");
    a.post("/admin/nodes/n2/remove", null, Object.class);

    Quota quota =
        a.post("/admin/quotas", new Quota.Grant("owner@example.com", "g1", 2, 1), Quota.class);
    var o = h.client(owner);
    o.post("/volumes", new Volume.Create("ownvol", 1), Volume.class);
    Job job =
        o.post(
            "/jobs",
            new Job.Submit(
                "j", "g1", "img", null, List.of("true"), Map.of(), 1, 1, "matrix test", null),
            Job.class);
    o.post(
        "/instances",
        new dev.ocean.common.api.instance.Instance.Create("ownbox", "g1", "img", null, null),
        dev.ocean.common.api.instance.Instance.class);
    var key =
        o.post(
            "/ssh-keys",
            new dev.ocean.common.api.instance.SshKey.Add(
                "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIIak9hwix0Q3gjIcYOPFNMwveKiYTJo2Tu05rBscIB6z",
                null),
            dev.ocean.common.api.instance.SshKey.class);
    QuotaRequest request =
        o.post("/quota-requests", new QuotaRequest.Create("g1", 1, 1, "more"), QuotaRequest.class);
    JoinToken token = a.post("/admin/join-tokens", new JoinToken.Create("1h", 10), JoinToken.class);

    tokens.put(Caller.ANONYMOUS, null);
    tokens.put(Caller.GARBAGE_TOKEN, "not-a-token");
    tokens.put(Caller.REVOKED_TOKEN, revoked);
    tokens.put(Caller.DISABLED_USER, disabled);
    tokens.put(Caller.REMOVED_NODE, removed);
    tokens.put(Caller.NODE, node);
    tokens.put(Caller.OTHER_USER, other);
    tokens.put(Caller.OWNER, owner);
    tokens.put(Caller.ADMIN, admin);

    params.put("/machine-types/{name}", "/machine-types/g1");
    params.put("/images/{name}", "/images/img");
    params.put("/volumes/{name}", "/volumes/ownvol");
    params.put("/quota-requests/{id}", "/quota-requests/" + request.id());
    params.put("/nodes/{name}/{action}", "/nodes/n1/drain");
    params.put("/nodes/{name}", "/nodes/n1");
    params.put("/runs/{runId}", "/runs/" + job.id() + "-0");
    params.put("/jobs/{id}", "/jobs/" + job.id());
    params.put("/runs/{run}", "/runs/0");
    params.put("/join-tokens/{id}", "/join-tokens/" + token.id());
    params.put("/users/{email}/{action}", "/users/victim@example.com/activate");
    params.put("/quotas/{id}", "/quotas/" + quota.id());
    params.put("/instances/{name}", "/instances/ownbox");
    params.put("/ssh-keys/{id}", "/ssh-keys/" + key.id());
    params.put("/assets/<path>", "/assets/app.js");
    // a second session of the owner's, so revoking it leaves the owner's own token working
    String spare = h.login("owner@example.com");
    long spareId =
        java.util.Arrays.stream(h.client(spare).get("/tokens", ApiToken[].class))
            .filter(ApiToken::current)
            .findFirst()
            .orElseThrow()
            .id();
    params.put("/tokens/{id}", "/tokens/" + spareId);
    params.put("/users/{email}/password", "/users/victim@example.com/password");
  }

  @AfterEach
  void stop() {
    h.close();
  }

  /** A user's own resources: another user must not learn they exist. */
  private static boolean owned(Route r) {
    return r.role() == Role.USER
        && (r.path().contains("/volumes/{")
            || r.path().contains("/jobs/{")
            || r.path().contains("/quota-requests/{")
            || r.path().contains("/tokens/{")
            || r.path().contains("/instances/{")
            || r.path().contains("/ssh-keys/{"));
  }

  private static Expect expect(Route r, Caller c) {
    boolean user = Set.of(Caller.OTHER_USER, Caller.OWNER, Caller.ADMIN).contains(c);
    return switch (r.role()) {
      case ANYONE -> Expect.THROUGH;
      case USER ->
          !user
              ? new Expect(401, false)
              : !owned(r)
                  ? Expect.THROUGH
                  : switch (c) {
                    case OWNER -> Expect.FOUND;
                    case OTHER_USER -> Expect.HIDDEN;
                    default -> Expect.THROUGH; // admins see everyone's
                  };
      case ADMIN ->
          !user
              ? new Expect(401, false)
              : c == Caller.ADMIN ? Expect.THROUGH : new Expect(403, false);
      case NODE -> c == Caller.NODE ? Expect.THROUGH : new Expect(401, false);
    };
  }

  private String concrete(String path) {
    String p = path;
    for (var e : params.entrySet()) {
      p = p.replace(e.getKey(), e.getValue());
    }
    assertTrue(!p.contains("{"), "no test value for a parameter of " + path);
    return p + "?wait=0&timeout=0";
  }

  private static String body(Route r) {
    return switch (r.body()) {
      case NONE -> null;
      case JSON, OPTIONAL -> "{}";
      case RAW -> "x";
    };
  }

  @Test
  void everyRouteRefusesEveryCallerItShouldForEveryMethod() throws Exception {
    List<Route> routes = new ArrayList<>(h.server.routes());
    assertTrue(routes.size() > 40, "the table lists every route");
    // Deletions run after every other route, so the resources they remove are there for the
    // others; routes that end a session run last, so the callers' credentials stay valid until
    // then.
    routes.sort(
        Comparator.comparing(
            r ->
                r.path().endsWith("/logout") || r.path().endsWith("/leave")
                    ? 2
                    : r.method().name().equals("DELETE") ? 1 : 0));
    Set<String> getPaths = new java.util.HashSet<>();
    routes.stream()
        .filter(r -> r.method().name().equals("GET"))
        .forEach(r -> getPaths.add(r.path()));
    List<String> failures = new ArrayList<>();
    for (Route r : routes) {
      String path = concrete(r.path());
      for (Caller c : Caller.values()) {
        Expect e = expect(r, c);
        String token = tokens.get(c);
        List<String> methods =
            r.method().name().equals("GET") ? List.of("HEAD", "GET") : List.of(r.method().name());
        for (String method : methods) {
          HttpResponse<String> res =
              h.send(
                  method,
                  path,
                  token,
                  method.equals("GET") || method.equals("HEAD") ? null : body(r));
          check(failures, method + " " + r.path() + " as " + c, res, e, !method.equals("HEAD"));
        }
        if (!r.method().name().equals("GET") && !getPaths.contains(r.path())) {
          for (String method : List.of("GET", "HEAD")) {
            HttpResponse<String> res = h.send(method, path, token, null);
            int s = res.statusCode();
            if (s < 400 || s >= 500) {
              failures.add(method + " " + r.path() + " as " + c + ": " + s + " (no such route)");
            }
          }
        }
      }
    }
    assertEquals(List.of(), failures);
  }

  private static void check(
      List<String> failures, String what, HttpResponse<String> res, Expect e, boolean hasBody)
      throws Exception {
    int s = res.statusCode();
    if (s >= 500) {
      failures.add(what + ": " + s + " " + res.body());
      return;
    }
    if (e.status() != 0 && s != e.status()) {
      failures.add(what + ": expected " + e.status() + " but got " + s);
    }
    if (e.status() == 0 && (s == 401 || s == 403)) {
      failures.add(what + ": refused with " + s + " " + res.body());
    }
    if (e.found() && s == 404) {
      failures.add(what + ": the owner's own resource answered 404");
    }
    if (s >= 400 && hasBody) {
      String type = res.headers().firstValue("Content-Type").orElse("");
      if (!type.startsWith("application/problem+json")) {
        failures.add(what + ": " + s + " answered as " + type);
      }
    }
  }
}
