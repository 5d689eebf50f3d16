package dev.ocean.server.web;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.Session;
import dev.ocean.server.error.Unauthorized;
import dev.ocean.server.http.Bodies;
import dev.ocean.server.user.UserService;
import io.javalin.http.Context;

/**
 * The web UI's login and logout: {@code POST /api/v1/session} checks the password exactly as the
 * API login does (same throttling), keeps the new token, marked as a session, only in an HttpOnly
 * cookie and answers the user; {@code DELETE /api/v1/session} revokes it and clears the cookies.
 * The CLI's Bearer tokens are not touched by either.
 */
public final class SessionController {
  private final UserService users;
  private final Bodies bodies;

  public SessionController(UserService users, Bodies bodies) {
    this.users = users;
    this.bodies = bodies;
  }

  public void login(Context ctx) {
    Credentials c = bodies.read(ctx, Credentials.class);
    Session s = users.login(c.email(), c.password(), ctx.ip());
    users.tokens().markSession(s.token());
    SessionCookies.set(ctx, s.token());
    ctx.json(s.user());
  }

  /**
   * Ends the cookie's session, if any, and clears the cookies; without a session cookie there is
   * nothing to end and it still answers 204, so a second click or a stale tab is no error.
   */
  public void logout(Context ctx) {
    String token = SessionCookies.token(ctx);
    if (token != null) {
      SessionCookies.requireCsrf(ctx);
      try {
        users.authenticate(token).ifPresent(users::logout);
      } catch (Unauthorized expired) {
        // an expired session is over already
      }
    }
    SessionCookies.clear(ctx);
    ctx.status(204);
  }
}
