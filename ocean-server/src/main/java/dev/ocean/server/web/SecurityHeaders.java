package dev.ocean.server.web;

import io.javalin.http.Context;

/**
 * The headers every answer carries so the web UI cannot be framed, sniffed or made to run script
 * from anywhere but this server: a Content-Security-Policy without inline script or style, no MIME
 * sniffing, no referrer leaving the site.
 */
public final class SecurityHeaders {
  /** Scripts, styles, images and connections only from this server; nothing inline. */
  public static final String CSP =
      "default-src 'self'; script-src 'self'; style-src 'self'; img-src 'self' data:;"
          + " connect-src 'self'; font-src 'self'; object-src 'none'; base-uri 'none';"
          + " form-action 'self'; frame-ancestors 'none'";

  private SecurityHeaders() {}

  public static void apply(Context ctx) {
    ctx.header("Content-Security-Policy", CSP);
    ctx.header("X-Content-Type-Options", "nosniff");
    ctx.header("Referrer-Policy", "no-referrer");
    ctx.header("X-Frame-Options", "DENY");
  }
}
