package dev.ocean.server.web;

import dev.ocean.server.error.Forbidden;
import io.javalin.http.Context;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.Base64;
import java.util.Set;

/**
 * The web UI's session cookies: {@code ocean_session} (HttpOnly, the session token) and {@code
 * ocean_csrf} (readable by the page). A state-changing request authenticated by the cookie must
 * send the CSRF token in the {@code X-CSRF-Token} header; another site can make the browser send
 * the cookies, but cannot read them to set the header. The token is derived from the session token
 * ({@link #csrfFor}), not merely equal to a cookie: one who can plant cookies (a sibling subdomain,
 * plain HTTP) and so set both a cookie and a matching header still cannot produce the token of the
 * victim's session, which they never see.
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

  /**
   * Refuses a state-changing request that came with the session cookie but not its session's CSRF
   * token. A safe request whose CSRF cookie is not its session's (a session from before tokens were
   * derived) gets the right one, so reloading the page mends it.
   */
  public static void requireCsrf(Context ctx) {
    String session = token(ctx);
    String expected = session == null ? null : csrfFor(session);
    if (SAFE.contains(ctx.method().name())) {
      if (expected != null && !expected.equals(ctx.cookie(CSRF))) {
        ctx.res().addHeader("Set-Cookie", csrfCookie(ctx, expected));
      }
      return;
    }
    String header = ctx.header(CSRF_HEADER);
    if (expected == null
        || header == null
        || !MessageDigest.isEqual(
            expected.getBytes(StandardCharsets.UTF_8), header.getBytes(StandardCharsets.UTF_8))) {
      throw new Forbidden(
          CSRF_HEADER,
          "this request came with the web session cookie but without the "
              + CSRF_HEADER
              + " header that matches its session's ocean_csrf cookie; reload the page");
    }
  }

  /** The CSRF token of a session: a one-way digest of its token, so it reveals nothing of it. */
  public static String csrfFor(String session) {
    try {
      byte[] digest =
          MessageDigest.getInstance("SHA-256")
              .digest(("ocean-csrf\0" + session).getBytes(StandardCharsets.UTF_8));
      return "csrf_" + Base64.getUrlEncoder().withoutPadding().encodeToString(digest);
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JDK", e);
    }
  }

  private static String csrfCookie(Context ctx, String csrf) {
    String secure = ctx.req().isSecure() ? "; Secure" : "";
    return CSRF + "=" + csrf + "; Path=/; SameSite=Strict" + secure;
  }

  static void set(Context ctx, String session) {
    String secure = ctx.req().isSecure() ? "; Secure" : "";
    ctx.res()
        .addHeader(
            "Set-Cookie", SESSION + "=" + session + "; Path=/; HttpOnly; SameSite=Strict" + secure);
    ctx.res().addHeader("Set-Cookie", csrfCookie(ctx, csrfFor(session)));
  }

  static void clear(Context ctx) {
    String secure = ctx.req().isSecure() ? "; Secure" : "";
    ctx.res()
        .addHeader(
            "Set-Cookie", SESSION + "=; Path=/; Max-Age=0; HttpOnly; SameSite=Strict" + secure);
    ctx.res().addHeader("Set-Cookie", CSRF + "=; Path=/; Max-Age=0; SameSite=Strict" + secure);
  }
}
