package dev.ocean.cli.admin;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.quota.QuotaCommand;
import dev.ocean.common.api.Quota;
import dev.ocean.common.client.OceanClient;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "quota",
    description = "Grant, revoke and list quotas directly.",
    subcommands = {
      AdminQuotaCommand.ListAll.class,
      AdminQuotaCommand.Grant.class,
      AdminQuotaCommand.Revoke.class
    })
public final class AdminQuotaCommand extends Group {
  @Command(
      name = "list",
      description = "List everyone's quotas, or one user's (active ones unless --all).")
  public static final class ListAll extends BaseCommand {
    @Option(names = "--all", description = "Include expired and revoked quotas.")
    boolean all;

    @Option(names = "--user", paramLabel = "EMAIL", description = "Only this user's quotas.")
    String user;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of("user", "--user");
    }

    @Override
    public Integer call() {
      if (user != null && user.isBlank()) {
        throw new CliException(ExitCodes.USAGE, "--user must name a user's email, not be empty");
      }
      String query =
          (all ? "&all=true" : "") + (user == null ? "" : "&user=" + OceanClient.segment(user));
      var qs = client().get("/admin/quotas" + query.replaceFirst("^&", "?"), QuotaCommand.QUOTAS);
      printList(
          qs, q -> String.valueOf(q.id()), l -> QuotaCommand.quotaTable(l, true, out(), style()));
      return 0;
    }
  }

  @Command(name = "grant", description = "Grant quota without a request.")
  public static final class Grant extends BaseCommand {
    @Parameters(paramLabel = "EMAIL", description = "The user's email.")
    String email;

    @Option(
        names = "--machine-type",
        paramLabel = "TYPE",
        required = true,
        description = "Machine type name.")
    String machineType;

    @Option(
        names = "--count",
        paramLabel = "N",
        required = true,
        description = "How many at the same time.")
    int count;

    @Option(
        names = "--days",
        paramLabel = "DAYS",
        required = true,
        description = "For how many days.")
    int days;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of(
          "email", "EMAIL", "machineType", "--machine-type", "count", "--count", "days", "--days");
    }

    @Override
    public Integer call() {
      Quota q =
          client()
              .post("/admin/quotas", new Quota.Grant(email, machineType, count, days), Quota.class);
      print(
          q,
          x -> String.valueOf(x.id()),
          x ->
              info(
                  "Granted quota "
                      + x.id()
                      + ": "
                      + x.count()
                      + " x "
                      + x.machineType()
                      + " to "
                      + x.user()
                      + " until "
                      + time(x.expiresAt())
                      + " UTC."));
      return 0;
    }
  }

  @Command(name = "revoke", description = "Revoke a quota now.")
  public static final class Revoke extends BaseCommand {
    @Parameters(paramLabel = "QUOTA_ID", description = "Quota id.")
    long id;

    @Override
    public Integer call() {
      Quota q = client().post("/admin/quotas/" + id + "/revoke", null, Quota.class);
      print(q, x -> String.valueOf(x.id()), x -> info("Revoked quota " + x.id() + "."));
      return 0;
    }
  }
}
