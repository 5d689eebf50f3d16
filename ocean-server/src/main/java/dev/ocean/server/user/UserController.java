package dev.ocean.server.user;

import dev.ocean.common.api.Credentials;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import io.javalin.http.Context;

/** HTTP side of accounts: signup, login, logout, whoami and the admin's user actions. */
public final class UserController {
  private final UserService users;
  private final Bodies bodies;

  public UserController(UserService users, Bodies bodies) {
    this.users = users;
    this.bodies = bodies;
  }

  public void signup(Context ctx) {
    Credentials c = bodies.read(ctx, Credentials.class);
    ctx.status(201).json(users.signup(c.email(), c.password()));
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

  public void list(Context ctx) {
    ctx.json(users.list());
  }

  public void change(Context ctx) {
    ctx.json(users.change(Auth.principal(ctx), ctx.pathParam("email"), ctx.pathParam("action")));
  }
}
