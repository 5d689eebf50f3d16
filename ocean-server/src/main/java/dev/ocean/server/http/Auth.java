package dev.ocean.server.http;

import dev.ocean.server.user.Principal;
import dev.ocean.server.user.Role;
import dev.ocean.server.user.UserService;
import dev.ocean.server.web.SessionCookies;
import dev.ocean.server.workload.WorkloadScope;
import io.javalin.http.Context;
import io.javalin.security.RouteRole;
import java.util.Optional;
import java.util.Set;
import java.util.function.Function;

/**
 * Checks a route's roles before its handler runs. A route without roles needs a logged-in user, so
 * forgetting a role fails closed. Node routes accept only node credentials, user routes only user
 * tokens, from the Bearer header or the web UI's session cookie; a state-changing request that came
 * with the cookie also needs the CSRF header (see {@link SessionCookies}).
 */
public final class Auth {
  private static final String PRINCIPAL = "ocean.principal";
  private static final String NODE = "ocean.node";

  private final UserService users;
  private final Function<String, Optional<?>> nodeAuthenticator;

  public Auth(UserService users, Function<String, Optional<?>> nodeAuthenticator) {
    this.users = users;
    this.nodeAuthenticator = nodeAuthenticator;
  }

  public void check(Context ctx) {
    Set<RouteRole> roles = ctx.routeRoles();
    if (roles.contains(Role.ANYONE)) {
      return;
    }
    String token = bearer(ctx);
    if (roles.contains(Role.NODE)) {
      Object node =
          nodeAuthenticator
              .apply(token)
              .orElseThrow(
                  () -> ApiException.unauthorized("this endpoint needs a valid node credential"));
      ctx.attribute(NODE, node);
      return;
    }
    boolean viaCookie = token.isEmpty() && SessionCookies.token(ctx) != null;
    if (viaCookie) {
      token = SessionCookies.token(ctx);
    }
    Principal p =
        users
            .authenticate(token)
            .orElseThrow(
                () ->
                    ApiException.unauthorized(
                        "you are not logged in or your token is no longer valid; run `ocean"
                            + " login`"));
    if (p.workload() != null) {
      WorkloadScope.refusal(ctx.path(), roles.contains(Role.ADMIN))
          .ifPresent(
              why -> {
                throw ApiException.forbidden(why);
              });
    }
    if (viaCookie) {
      SessionCookies.requireCsrf(ctx);
    }
    if (roles.contains(Role.ADMIN) && !p.admin()) {
      throw ApiException.forbidden("this needs an admin account");
    }
    ctx.attribute(PRINCIPAL, p);
  }

  public static Principal principal(Context ctx) {
    Principal p = ctx.attribute(PRINCIPAL);
    if (p == null) {
      throw ApiException.unauthorized("you are not logged in");
    }
    return p;
  }

  /** The request's user, or empty on a route that needs none (or a node's route). */
  public static Optional<Principal> principalIfAny(Context ctx) {
    return Optional.ofNullable(ctx.attribute(PRINCIPAL));
  }

  @SuppressWarnings("unchecked")
  public static <T> T node(Context ctx) {
    T node = (T) ctx.attribute(NODE);
    if (node == null) {
      throw ApiException.unauthorized("this endpoint needs a valid node credential");
    }
    return node;
  }

  private static String bearer(Context ctx) {
    String header = ctx.header("Authorization");
    if (header == null || !header.regionMatches(true, 0, "Bearer ", 0, 7)) {
      return "";
    }
    return header.substring(7).trim();
  }
}
