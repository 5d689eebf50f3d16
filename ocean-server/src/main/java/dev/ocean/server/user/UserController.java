package dev.ocean.server.user;

import dev.ocean.common.api.Credentials;
import dev.ocean.common.api.PasswordChange;
import dev.ocean.common.api.PasswordReset;
import dev.ocean.common.api.User;
import dev.ocean.server.error.Check;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import io.javalin.http.Context;

/**
 * HTTP side of accounts: signup, login, logout, whoami, passwords, API tokens and the admin's user
 * actions.
 */
public final class UserController {
  private final UserService users;
  private final Bodies bodies;

  public UserController(UserService users, Bodies bodies) {
    this.users = users;
    this.bodies = bodies;
  }

  public void signup(Context ctx) {
    Credentials c = bodies.read(ctx, Credentials.class);
    ctx.status(201).json(users.signup(c.email(), c.password(), ctx.ip()));
  }

  public void login(Context ctx) {
    Credentials c = bodies.read(ctx, Credentials.class);
    ctx.json(users.login(c.email(), c.password(), ctx.ip()));
  }

  public void logout(Context ctx) {
    users.logout(Auth.principal(ctx));
    ctx.status(204);
  }

  public void me(Context ctx) {
    ctx.json(users.get(Auth.principal(ctx).userId()));
  }

  public void changePassword(Context ctx) {
    PasswordChange c = bodies.read(ctx, PasswordChange.class);
    users.passwords().change(Auth.principal(ctx), c.currentPassword(), c.newPassword(), ctx.ip());
    ctx.status(204);
  }

  public void resetPassword(Context ctx) {
    String password =
        ctx.bodyAsBytes().length == 0 ? null : bodies.read(ctx, PasswordReset.class).password();
    ctx.json(users.passwords().reset(Auth.principal(ctx), ctx.pathParam("email"), password));
  }

  public void listTokens(Context ctx) {
    ctx.json(users.tokens().list(Auth.principal(ctx)));
  }

  public void revokeToken(Context ctx) {
    users.tokens().revoke(Auth.principal(ctx), Check.pathId("id", ctx.pathParam("id")));
    ctx.status(204);
  }

  public void create(Context ctx) {
    User.Create c = bodies.readStrict(ctx, User.Create.class);
    ctx.status(201)
        .json(
            users.create(
                Auth.principal(ctx), c.email(), c.password(), Boolean.TRUE.equals(c.admin())));
  }

  public void list(Context ctx) {
    ctx.json(users.list());
  }

  public void change(Context ctx) {
    ctx.json(users.change(Auth.principal(ctx), ctx.pathParam("email"), ctx.pathParam("action")));
  }
}
