package dev.ocean.cli.account;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.ApiToken;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Parameters;

@Command(
    name = "token",
    description = "Your API tokens (one per login): list them, revoke one.",
    subcommands = {TokenCommand.ListTokens.class, TokenCommand.Revoke.class})
public final class TokenCommand extends Group {
  @Command(name = "list", description = "List your tokens that still work; * marks this one.")
  public static final class ListTokens extends BaseCommand {
    @Override
    public Integer call() {
      List<ApiToken> tokens = client().get("/tokens", new TypeReference<List<ApiToken>>() {});
      printList(
          tokens,
          t -> String.valueOf(t.id()),
          ts -> {
            Table table = new Table("ID", "KIND", "CREATED", "LAST USED", "EXPIRES", "CURRENT");
            for (ApiToken t : ts) {
              table.row(
                  t.id(),
                  t.kind(),
                  time(t.createdAt()),
                  time(t.lastUsedAt()),
                  time(t.expiresAt()),
                  t.current() ? "*" : "");
            }
            table.print(out(), style());
          });
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke one of your tokens, e.g. of a lost laptop.")
  public static final class Revoke extends BaseCommand {
    @Parameters(paramLabel = "ID", description = "The token's id from `ocean token list`.")
    long id;

    @Override
    public Integer call() {
      if (id < 1) {
        throw new CliException(ExitCodes.USAGE, "ID: '" + id + "' is not an id");
      }
      client().post("/tokens/" + id + "/revoke", null, Void.class);
      info("Token " + id + " revoked.");
      return 0;
    }
  }
}
