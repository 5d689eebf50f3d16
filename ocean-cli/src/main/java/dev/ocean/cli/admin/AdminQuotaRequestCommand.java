package dev.ocean.cli.admin;

import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.quota.QuotaCommand;
import dev.ocean.common.api.QuotaRequest;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "quota-request",
    description = "Review users' quota requests.",
    subcommands = {
      AdminQuotaRequestCommand.ListAll.class,
      AdminQuotaRequestCommand.Approve.class,
      AdminQuotaRequestCommand.Reject.class
    })
public final class AdminQuotaRequestCommand extends Group {
  @Command(name = "list", description = "List quota requests (pending ones unless --all).")
  public static final class ListAll extends BaseCommand {
    @Option(names = "--all", description = "Include decided and cancelled requests.")
    boolean all;

    @Override
    public Integer call() {
      var rs =
          client().get("/admin/quota-requests" + (all ? "?all=true" : ""), QuotaCommand.REQUESTS);
      printList(
          rs, r -> String.valueOf(r.id()), l -> QuotaCommand.requestTable(l, true, out(), style()));
      return 0;
    }
  }

  @Command(name = "approve", description = "Approve a request; this grants the quota.")
  public static final class Approve extends BaseCommand {
    @Parameters(paramLabel = "REQUEST_ID", description = "Request id.")
    long id;

    @Option(names = "--note", paramLabel = "TEXT", description = "A note for the user.")
    String note;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of("note", "--note");
    }

    @Override
    public Integer call() {
      QuotaRequest r =
          client()
              .post(
                  "/admin/quota-requests/" + id + "/approve",
                  new QuotaRequest.Decision(note),
                  QuotaRequest.class);
      print(
          r,
          x -> String.valueOf(x.id()),
          x ->
              info(
                  "Approved request "
                      + x.id()
                      + ": "
                      + x.user()
                      + " has "
                      + x.count()
                      + " x "
                      + x.machineType()
                      + " for "
                      + dev.ocean.cli.base.Text.count(x.days(), "day")
                      + " as quota #"
                      + x.quotaId()
                      + "."));
      return 0;
    }
  }

  @Command(name = "reject", description = "Reject a request with a note saying why.")
  public static final class Reject extends BaseCommand {
    @Parameters(paramLabel = "REQUEST_ID", description = "Request id.")
    long id;

    @Option(
        names = "--note",
        paramLabel = "TEXT",
        required = true,
        description = "Why it is rejected.")
    String note;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of("note", "--note");
    }

    @Override
    public Integer call() {
      QuotaRequest r =
          client()
              .post(
                  "/admin/quota-requests/" + id + "/reject",
                  new QuotaRequest.Decision(note),
                  QuotaRequest.class);
      print(r, x -> String.valueOf(x.id()), x -> info("Rejected request " + x.id() + "."));
      return 0;
    }
  }
}
