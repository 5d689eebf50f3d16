package dev.ocean.server.web;

import dev.ocean.server.error.Forbidden;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.Set;

/**
 * The web UI's session cookies: {@code ocean_session} (HttpOnly, the session token) and {@code
 * ocean_csrf} (readable by the page). A state-changing request authenticated by the cookie must
 * repeat the CSRF cookie in the {@code X-CSRF-Token} header (double submit); another site can make
 * the browser send the cookie, but cannot read it to set the header.
 */
public final class SessionCookies {
  public static final String SESSION = "ocean_session";
  public static final String CSRF = "ocean_csrf";
  public static final String CSRF_HEADER = "X-CSRF-Token";
  private static final Set<String> SAFE = Set.of("GET", "HEAD", "OPTIONS");

  private SessionCookies() {}

  /** The session token the browser sent, or null. */
  public static String token(Context ctx) {
    String t = ctx.cookie(SESSION);
    return t == null || t.isBlank() ? null : t;
  }

  /** Refuses a state-changing request that came with the session cookie but no matching token. */
  public static void requireCsrf(Context ctx) {
    if (SAFE.contains(ctx.method().name())) {
      return;
    }
    String cookie = ctx.cookie(CSRF);
    String header = ctx.header(CSRF_HEADER);
    if (cookie == null
        || header == null
        || cookie.isEmpty()
        || !MessageDigest.isEqual(
            cookie.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8))) {
      throw new Forbidden(
          CSRF_HEADER,
          "this request came with the web session cookie but without the "
              + CSRF_HEADER
              + " header that matches the ocean_csrf cookie; reload the page");
    }
  }

  static void set(Context ctx, String session, String csrf) {
    String secure = ctx.req().isSecure() ? "; Secure" : "";
    ctx.res()
        .addHeader(
            "Set-Cookie", SESSION + "=" + session + "; Path=/; HttpOnly; SameSite=Strict" + secure);
    ctx.res().addHeader("Set-Cookie", CSRF + "=" + csrf + "; Path=/; SameSite=Strict" + secure);
  }

  static void clear(Context ctx) {
    String secure = ctx.req().isSecure() ? "; Secure" : "";
    ctx.res()
        .addHeader(
            "Set-Cookie", SESSION + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + secure);
    ctx.res().addHeader("Set-Cookie", CSRF + "=; Path=/; Max-Age=0; SameSite=Strict" + secure);
  }
}
