package dev.ocean.cli.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.node.JoinToken;
import dev.ocean.common.api.node.Node;
import dev.ocean.common.client.OceanClient;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "node",
    description = "Join tokens and node maintenance.",
    subcommands = {
      AdminNodeCommand.Token.class,
      AdminNodeCommand.Tokens.class,
      AdminNodeCommand.RevokeToken.class,
      AdminNodeCommand.Drain.class,
      AdminNodeCommand.Undrain.class,
      AdminNodeCommand.Remove.class,
      AdminNodeCommand.Rotate.class
    })
public final class AdminNodeCommand extends Group {
  @Command(
      name = "token",
      description = "Print a join token for `ocean-agent join` (expires; one node unless --uses).")
  public static final class Token extends BaseCommand {
    @Option(
        names = "--ttl",
        paramLabel = "DURATION",
        defaultValue = "1h",
        description = "How long it is valid, e.g. 30m, 1h, 2d (default ${DEFAULT-VALUE}).")
    String ttl;

    @Option(
        names = "--uses",
        defaultValue = "1",
        paramLabel = "N",
        description = "How many nodes may join with it (default ${DEFAULT-VALUE}).")
    int uses;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of("ttl", "--ttl");
    }

    @Override
    public Integer call() {
      if (uses < 1 || uses > 1000) {
        throw new CliException(ExitCodes.USAGE, "--uses must be between 1 and 1000, not " + uses);
      }
      JoinToken t =
          client().post("/admin/join-tokens", new JoinToken.Create(ttl, uses), JoinToken.class);
      print(
          t,
          JoinToken::token,
          x -> {
            out().println(x.token());
            info(
                "Join token "
                    + x.id()
                    + " for "
                    + (x.uses() == 1 ? "one node" : x.uses() + " nodes")
                    + ", valid until "
                    + time(x.expiresAt())
                    + " UTC. On the node, keep it out of the process list by piping it in:\n"
                    + "  echo "
                    + x.token()
                    + " | ocean-agent join --server "
                    + serverUrl()
                    + " --token -"
                    + (caCert() == null ? "" : " --ca-cert " + caCert()));
          });
      return 0;
    }
  }

  @Command(name = "tokens", description = "List join tokens.")
  public static final class Tokens extends BaseCommand {
    @Override
    public Integer call() {
      List<JoinToken> ts =
          client().get("/admin/join-tokens", new TypeReference<List<JoinToken>>() {});
      printList(
          ts,
          t -> String.valueOf(t.id()),
          l -> {
            Table t = new Table("ID", "STATE", "USES LEFT", "CREATED BY", "CREATED", "EXPIRES");
            for (JoinToken j : l) {
              t.row(
                  j.id(),
                  style().state(j.state()),
                  j.usesLeft() + "/" + j.uses(),
                  j.createdBy(),
                  time(j.createdAt()),
                  time(j.expiresAt()));
            }
            t.print(out(), style());
          });
      return 0;
    }
  }

  @Command(name = "revoke-token", description = "Revoke a join token.")
  public static final class RevokeToken extends BaseCommand {
    @Parameters(
        paramLabel = "TOKEN_ID",
        description = "The join token's id from `ocean admin node tokens`.")
    long id;

    @Override
    public Integer call() {
      JoinToken t = client().post("/admin/join-tokens/" + id + "/revoke", null, JoinToken.class);
      print(t, x -> String.valueOf(x.id()), x -> info("Join token " + x.id() + " revoked."));
      return 0;
    }
  }

  /** The shared body of the node actions. */
  abstract static class Action extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "The node's name from `ocean node list`.")
    String name;

    abstract String action();

    /** Query string after the action, e.g. {@code "?force=true"}; empty by default. */
    String query() {
      return "";
    }

    @Override
    public Integer call() {
      Node n =
          client()
              .post(
                  "/admin/nodes/" + OceanClient.segment(name) + "/" + action() + query(),
                  null,
                  Node.class);
      print(n, Node::name, x -> info("Node " + x.name() + " is now " + x.state() + "."));
      return 0;
    }
  }

  @Command(name = "drain", description = "Stop placing new work on a node; running work finishes.")
  public static final class Drain extends Action {
    @Override
    String action() {
      return "drain";
    }
  }

  @Command(name = "undrain", description = "Let a drained node take work again.")
  public static final class Undrain extends Action {
    @Override
    String action() {
      return "undrain";
    }
  }

  @Command(
      name = "remove",
      description = "Remove a node from the cluster; its credential stops working.")
  public static final class Remove extends Action {
    @Option(
        names = "--force",
        description =
            "Remove it even while runs are on it: they end failed (node removed) and the agent"
                + " stops them.")
    boolean force;

    @Override
    String action() {
      return "remove";
    }

    @Override
    String query() {
      return force ? "?force=true" : "";
    }
  }

  @Command(
      name = "rotate",
      description =
          "Give a node a new credential: its agent receives it with its next heartbeat and the old"
              + " one stops working once the new one is used.")
  public static final class Rotate extends BaseCommand {
    @Parameters(paramLabel = "NAME", description = "The node's name from `ocean node list`.")
    String name;

    @Override
    public Integer call() {
      Node n =
          client().post("/admin/nodes/" + OceanClient.segment(name) + "/rotate", null, Node.class);
      print(
          n,
          Node::name,
          x ->
              info(
                  "Node "
                      + x.name()
                      + " gets a new credential with its next heartbeat; the old one stops"
                      + " working once the agent uses the new one."));
      return 0;
    }
  }
}
