package dev.ocean.server.node;

import dev.ocean.common.Version;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.node.Heartbeat;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.Registration;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.UpgradeRequired;
import dev.ocean.server.http.Auth;
import dev.ocean.server.http.Bodies;
import io.javalin.http.Context;

/** HTTP side of nodes: the agent protocol, the admin's node actions and the read views. */
public final class NodeController {
  /** The header every agent request carries with the protocol version it speaks. */
  public static final String PROTOCOL_HEADER = AgentProtocol.HEADER;

  private final NodeService nodes;
  private final NodeDirectory directory;
  private final Bodies bodies;

  public NodeController(NodeService nodes, NodeDirectory directory, Bodies bodies) {
    this.nodes = nodes;
    this.directory = directory;
    this.bodies = bodies;
  }

  /** Refuses agents that speak another protocol version, before anything else happens. */
  public void checkProtocol(Context ctx) {
    String spoken = ctx.header(PROTOCOL_HEADER);
    if (!String.valueOf(Version.AGENT_PROTOCOL).equals(spoken)) {
      throw new UpgradeRequired(
          "this server speaks agent protocol "
              + Version.AGENT_PROTOCOL
              + " but the agent speaks "
              + (spoken == null ? "none" : spoken)
              + "; install the ocean-agent of server version "
              + Version.VERSION);
    }
  }

  public void register(Context ctx) {
    NodeReportLimits.checkBodySize(ctx.bodyAsBytes().length);
    ctx.status(201).json(nodes.register(bodies.read(ctx, Registration.class)));
  }

  public void heartbeat(Context ctx) {
    NodeReportLimits.checkBodySize(ctx.bodyAsBytes().length);
    ctx.json(nodes.heartbeat(Auth.node(ctx), bodies.read(ctx, Heartbeat.class)));
  }

  public void leave(Context ctx) {
    nodes.leave(Auth.node(ctx));
    ctx.status(204);
  }

  public void createToken(Context ctx) {
    JoinToken.Create c =
        ctx.bodyAsBytes().length == 0
            ? new JoinToken.Create(null, null)
            : bodies.read(ctx, JoinToken.Create.class);
    ctx.status(201).json(nodes.tokens().create(Auth.principal(ctx), c.ttl(), c.uses()));
  }

  public void listTokens(Context ctx) {
    ctx.json(nodes.tokens().list());
  }

  public void revokeToken(Context ctx) {
    ctx.json(nodes.tokens().revoke(Auth.principal(ctx), Check.pathId("id", ctx.pathParam("id"))));
  }

  public void change(Context ctx) {
    String name = ctx.pathParam("name");
    String action = ctx.pathParam("action");
    boolean force = "true".equals(ctx.queryParam("force"));
    nodes.change(Auth.principal(ctx), name, action, force);
    // A removed node is no longer listed, but the answer still shows it, now "removed".
    ctx.json(action.equals("remove") ? directory.getIncludingRemoved(name) : directory.get(name));
  }

  public void list(Context ctx) {
    ctx.json(directory.list());
  }

  public void get(Context ctx) {
    ctx.json(directory.get(ctx.pathParam("name")));
  }

  public void history(Context ctx) {
    ctx.json(directory.history(ctx.pathParam("name")));
  }

  public void gpus(Context ctx) {
    ctx.json(directory.gpus());
  }
}
