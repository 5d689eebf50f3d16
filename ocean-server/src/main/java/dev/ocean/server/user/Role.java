package dev.ocean.server.user;

import io.javalin.security.RouteRole;

/** Who may call a route: checked before the handler runs. */
public enum Role implements RouteRole {
  /** No authentication (health, signup, login). */
  ANYONE,
  /** Any logged-in, active user. */
  USER,
  /** An active admin. */
  ADMIN,
  /** A registered node's agent, with its node credential (never a user token). */
  NODE
}
