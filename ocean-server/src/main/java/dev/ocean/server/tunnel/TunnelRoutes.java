package dev.ocean.server.tunnel;

import static io.javalin.http.HandlerType.WEBSOCKET_BEFORE_UPGRADE;

import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.ErrorMapper;
import dev.ocean.server.node.NodeRef;
import dev.ocean.server.user.Role;
import io.javalin.config.RoutesConfig;
import io.javalin.http.Handler;
import io.javalin.websocket.WsConfig;
import io.javalin.websocket.WsContext;
import io.javalin.websocket.WsHandlerType;
import java.time.Duration;
import org.eclipse.jetty.websocket.api.Session;

/**
 * The tunnel's two WebSocket routes, beside the route table (a WebSocket is not a {@code Route}):
 * the user's {@link #USER_PATH} (owner only, {@code ?port=P}) and the agent's {@link #AGENT_PATH}
 * (node credential and protocol header). Both are checked before the upgrade, so a refusal is an
 * ordinary problem+json answer (401, 404, 400, 429) and no socket is opened.
 */
public final class TunnelRoutes {
  public static final String USER_PATH = "/api/v1/instances/{name}/tunnel";
  public static final String AGENT_PATH = "/api/v1" + AgentProtocol.TUNNELS + "{id}";

  /** The largest message either side may send; the clients send at most 32 KiB. */
  static final long MAX_MESSAGE = 64 * 1024;

  /** A tunnel whose peer stopped answering pings is closed after this long. */
  static final Duration IDLE_TIMEOUT = Duration.ofMinutes(2);

  private static final String TUNNEL = "ocean.tunnel";

  private TunnelRoutes() {}

  /**
   * Registers both routes; {@code checkProtocol} refuses an agent speaking another protocol, as on
   * every agent route.
   */
  public static void register(
      RoutesConfig r, Auth auth, ErrorMapper errors, Handler checkProtocol, TunnelBroker broker) {
    r.addHttpHandler(
        WEBSOCKET_BEFORE_UPGRADE,
        USER_PATH,
        refusing(
            errors,
            ctx -> {
              // Only a token the client sends itself: a browser attaches the session cookie to a
              // WebSocket from any page, and neither CORS nor the CSRF header covers WebSockets.
              if (ctx.header("Authorization") == null) {
                throw new dev.ocean.server.error.Unauthorized(
                    "a tunnel needs an API token in the Authorization header (ocean instance"
                        + " proxy sends it); a browser session cannot open one");
              }
              auth.check(ctx);
              var user = Auth.principal(ctx);
              ctx.attribute(
                  TUNNEL,
                  broker.reserve(user.userId(), ctx.pathParam("name"), ctx.queryParam("port")));
            }));
    r.addWsHandler(
        WsHandlerType.WEBSOCKET,
        USER_PATH,
        ws -> {
          ws.onConnect(
              c -> {
                Tunnel t = tunnel(c);
                limit(c.session);
                t.userConnected(c.session);
                broker.offer(t);
              });
          ws.onBinaryMessage(c -> tunnel(c).fromUser(c.data()));
          common(ws, true);
        },
        Role.USER);

    r.addHttpHandler(
        WEBSOCKET_BEFORE_UPGRADE,
        AGENT_PATH,
        refusing(
            errors,
            ctx -> {
              auth.check(ctx);
              checkProtocol.handle(ctx);
              NodeRef node = Auth.node(ctx);
              Tunnel t =
                  broker
                      .claim(ctx.pathParam("id"), node.name())
                      .orElseThrow(
                          () -> new NotFound("no tunnel with that id waits for this node"));
              ctx.attribute(TUNNEL, t);
            }));
    r.addWsHandler(
        WsHandlerType.WEBSOCKET,
        AGENT_PATH,
        ws -> {
          ws.onConnect(
              c -> {
                limit(c.session);
                tunnel(c).agentConnected(c.session);
              });
          ws.onBinaryMessage(c -> tunnel(c).fromAgent(c.data()));
          common(ws, false);
        },
        Role.NODE);
  }

  /** Answers a refusal before the upgrade as problem+json, then stops the upgrade. */
  private static Handler refusing(ErrorMapper errors, Handler check) {
    return ctx -> {
      try {
        check.handle(ctx);
      } catch (Exception e) {
        errors.refuseUpgrade(ctx, e);
        throw e;
      }
    };
  }

  private static void common(WsConfig ws, boolean user) {
    ws.onMessage(c -> c.closeSession(WsCodes.UNSUPPORTED, "a tunnel carries binary messages only"));
    ws.onClose(
        c -> {
          if (user) {
            tunnel(c).userClosed(c.status(), c.reason());
          } else {
            tunnel(c).agentClosed(c.status(), c.reason());
          }
        });
    ws.onError(c -> tunnel(c).fail("the tunnel failed: " + String.valueOf(c.error())));
  }

  private static void limit(Session session) {
    session.setMaxBinaryMessageSize(MAX_MESSAGE);
    session.setMaxTextMessageSize(1024);
    session.setIdleTimeout(IDLE_TIMEOUT);
  }

  private static Tunnel tunnel(WsContext c) {
    Tunnel t = c.attribute(TUNNEL);
    if (t == null) {
      throw new IllegalStateException("tunnel socket without a tunnel");
    }
    return t;
  }
}
