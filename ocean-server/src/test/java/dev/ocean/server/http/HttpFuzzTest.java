package dev.ocean.server.http;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import dev.ocean.common.api.Image;
import dev.ocean.common.api.MachineType;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.Volume;
import dev.ocean.server.http.Routes.Body;
import dev.ocean.server.http.Routes.Route;
import java.net.URLEncoder;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.Combinators;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.ShrinkingMode;
import net.jqwik.api.Tuple;
import net.jqwik.api.lifecycle.AfterContainer;
import net.jqwik.api.lifecycle.BeforeContainer;

/**
 * Generated requests against every JSON route and every route with a path parameter, as every kind
 * of caller: the server never fails (no 5xx), every refusal is problem+json, and a refused request
 * changes no row. The seed is fixed, so CI runs the same few thousand cases every time.
 */
class HttpFuzzTest {
  private static final List<String> TABLES =
      List.of(
          "users",
          "api_tokens",
          "machine_types",
          "images",
          "quota_requests",
          "quotas",
          "volumes",
          "jobs",
          "runs",
          "join_tokens",
          "nodes");
  private static final List<String> KEYS =
      List.of(
          "name",
          "sizeGib",
          "machineType",
          "count",
          "days",
          "reason",
          "email",
          "password",
          "cpus",
          "memoryGib",
          "gpus",
          "gpuModel",
          "reference",
          "description",
          "ttl",
          "note",
          "image",
          "volume",
          "command",
          "env",
          "repeat",
          "parallel",
          "retries",
          "joinToken",
          "agentVersion",
          "protocol",
          "facts",
          "metrics",
          "state",
          "exitCode");
  private static final List<String> KNOWN =
      List.of(
          "1",
          "2",
          "0",
          "-1",
          "g1",
          "img",
          "data",
          "n1",
          "user@example.com",
          "drain",
          "undrain",
          "activate",
          "promote",
          "1-0",
          "busybox:latest",
          "1h",
          "Sea-Water-42!");
  private static final Pattern PARAM = Pattern.compile("\\{[^}]+}");

  private static Harness h;
  private static Path dir;
  private static Map<String, String> tokens;
  private static List<Route> routes;

  @BeforeContainer
  static void start() throws Exception {
    dir = Files.createTempDirectory("ocean-fuzz");
    h = new Harness(dir);
    String admin = h.login(Harness.ADMIN);
    var a = h.client(admin);
    a.post(
        "/machine-types",
        new MachineType.Create("g1", 1, 1, 0, null, null, null),
        MachineType.class);
    a.post("/images", new Image.Create("img", "busybox:latest", null, null), Image.class);
    String user = h.user("user@example.com");
    a.post("/admin/quotas", new Quota.Grant("user@example.com", "g1", 2, 1), Quota.class);
    h.client(user).post("/volumes", new Volume.Create("data", 1), Volume.class);
    String node = h.node(admin, "n1");
    tokens = Map.of("admin", admin, "user", user, "node", node, "none", "");
    routes =
        h.server.routes().stream()
            .filter(r -> r.body() == Body.JSON || r.body() == Body.OPTIONAL || hasParams(r))
            // Ending the callers' sessions would leave nothing to fuzz with.
            .filter(r -> !r.path().endsWith("/logout") && !r.path().endsWith("/leave"))
            .sorted(Comparator.comparing(r -> r.method().name() + r.path()))
            .toList();
  }

  @AfterContainer
  static void stop() throws Exception {
    h.close();
    try (var files = Files.walk(dir)) {
      files.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
    }
  }

  private static boolean hasParams(Route r) {
    return r.path().contains("{");
  }

  record Case(Route route, String caller, List<String> params, String body) {
    String path() {
      Matcher m = PARAM.matcher(route.path());
      StringBuilder out = new StringBuilder();
      int i = 0;
      while (m.find()) {
        m.appendReplacement(out, Matcher.quoteReplacement(encode(params.get(i++ % params.size()))));
      }
      m.appendTail(out);
      return out + "?wait=0&timeout=0";
    }

    @Override
    public String toString() {
      String b = body == null ? "-" : body.length() > 200 ? body.substring(0, 200) + "…" : body;
      return route.method() + " " + path() + " as " + caller + " with " + b;
    }
  }

  private static String encode(String segment) {
    return URLEncoder.encode(segment, StandardCharsets.UTF_8).replace("+", "%20");
  }

  @Property(tries = 3000, seed = "20261130", shrinking = ShrinkingMode.BOUNDED)
  void noGeneratedRequestBreaksTheServerOrChangesStateWhenRefused(@ForAll("cases") Case c)
      throws Exception {
    long[] before = counts();
    String method = c.route().method().name();
    HttpResponse<String> res =
        h.send(
            method,
            c.path(),
            tokens.get(c.caller()).isEmpty() ? null : tokens.get(c.caller()),
            c.body());
    int status = res.statusCode();
    assertTrue(status < 500, c + " -> " + status + " " + res.body());
    if (status >= 400) {
      JsonNode p = Harness.problemBody(res);
      assertTrue(p.hasNonNull("detail"), res.body());
      assertTrue(p.get("detail").asText().length() <= 301, res.body());
      assertArrayEquals(before, counts(), c + " was refused but changed rows");
    }
  }

  private static long[] counts() {
    return TABLES.stream().mapToLong(h::count).toArray();
  }

  @Provide
  Arbitrary<Case> cases() {
    return Combinators.combine(
            Arbitraries.of(routes),
            Arbitraries.of("admin", "user", "node", "none"),
            segment().list().ofMinSize(2).ofMaxSize(2),
            body())
        .as(
            (route, caller, params, body) ->
                new Case(
                    route,
                    caller,
                    params,
                    route.body() == Body.JSON || route.body() == Body.OPTIONAL ? body : null));
  }

  private static Arbitrary<String> segment() {
    return Arbitraries.frequencyOf(
        Tuple.of(4, Arbitraries.of(KNOWN)),
        Tuple.of(3, text()),
        Tuple.of(1, Arbitraries.longs().map(String::valueOf)),
        Tuple.of(1, Arbitraries.of("..", ".", "%", "a/b", "\u0000", " ", "x".repeat(2000))));
  }

  private static Arbitrary<String> text() {
    return Arbitraries.frequencyOf(
        Tuple.of(3, Arbitraries.strings().all().ofMinLength(1).ofMaxLength(20)),
        Tuple.of(
            3,
            Arbitraries.strings()
                .alpha()
                .numeric()
                .withChars('-', '.', '@', '_', ':')
                .ofMinLength(1)
                .ofMaxLength(30)),
        Tuple.of(2, Arbitraries.of(KNOWN)),
        Tuple.of(1, Arbitraries.integers().between(900, 3000).map("x"::repeat)));
  }

  private static String quote(String s) {
    try {
      return Harness.JSON.writeValueAsString(s);
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }

  private static Arbitrary<String> value(int depth) {
    Arbitrary<String> leaf =
        Arbitraries.frequencyOf(
            Tuple.of(3, Arbitraries.integers().map(String::valueOf)),
            Tuple.of(
                2,
                Arbitraries.of(
                    "1.5",
                    "1e309",
                    "-0",
                    "0",
                    "-1",
                    "2147483648",
                    "9223372036854775808",
                    "true",
                    "false",
                    "null",
                    "\"\"",
                    "\"\\u0000\"",
                    "1E400",
                    "[]",
                    "{}")),
            Tuple.of(4, text().map(HttpFuzzTest::quote)));
    if (depth == 0) {
      return leaf;
    }
    return Arbitraries.frequencyOf(
        Tuple.of(6, leaf),
        Tuple.of(1, value(depth - 1).list().ofMaxSize(3).map(l -> "[" + String.join(",", l) + "]")),
        Tuple.of(1, object(depth - 1)));
  }

  private static Arbitrary<String> object(int depth) {
    Arbitrary<String> key =
        Arbitraries.frequencyOf(Tuple.of(5, Arbitraries.of(KEYS)), Tuple.of(1, text()));
    return Combinators.combine(key, value(depth))
        .as((k, v) -> quote(k) + ":" + v)
        .list()
        .ofMaxSize(7)
        .map(l -> "{" + String.join(",", l) + "}");
  }

  private static Arbitrary<String> body() {
    return Arbitraries.frequencyOf(
        Tuple.of(10, object(2)),
        Tuple.of(1, object(1).map(s -> s + " xyz")),
        Tuple.of(1, Arbitraries.strings().ofMaxLength(40)),
        Tuple.of(1, value(1)),
        Tuple.of(1, Arbitraries.just("")));
  }
}
