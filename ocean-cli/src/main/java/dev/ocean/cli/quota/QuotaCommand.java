package dev.ocean.cli.quota;

import static dev.ocean.cli.base.BaseCommand.time;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Style;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.QuotaRequest;
import java.io.PrintWriter;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "quota",
    description = "Your quotas and quota requests.",
    subcommands = {
      QuotaCommand.ListQuotas.class,
      QuotaCommand.RequestQuota.class,
      QuotaCommand.ListRequests.class,
      QuotaCommand.CancelRequest.class
    })
public final class QuotaCommand extends Group {
  public static final TypeReference<List<Quota>> QUOTAS = new TypeReference<>() {};
  public static final TypeReference<List<QuotaRequest>> REQUESTS = new TypeReference<>() {};

  @Command(name = "list", description = "List your quotas: type, granted, in use, expires.")
  public static final class ListQuotas extends BaseCommand {
    @Option(names = "--all", description = "Include expired and revoked quotas.")
    boolean all;

    @Override
    public Integer call() {
      List<Quota> quotas = client().get("/quotas" + (all ? "?all=true" : ""), QUOTAS);
      printList(quotas, q -> String.valueOf(q.id()), l -> quotaTable(l, false, out(), style()));
      return 0;
    }
  }

  @Command(name = "request", description = "Ask an admin for quota.")
  public static final class RequestQuota extends BaseCommand {
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

    @Option(
        names = "--reason",
        paramLabel = "TEXT",
        required = true,
        description = "Why you need it.")
    String reason;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of(
          "machineType",
          "--machine-type",
          "count",
          "--count",
          "days",
          "--days",
          "reason",
          "--reason");
    }

    @Override
    public Integer call() {
      QuotaRequest r =
          client()
              .post(
                  "/quota-requests",
                  new QuotaRequest.Create(machineType, count, days, reason),
                  QuotaRequest.class);
      print(
          r,
          x -> String.valueOf(x.id()),
          x ->
              info(
                  "Quota request "
                      + x.id()
                      + " sent: "
                      + x.count()
                      + " x "
                      + x.machineType()
                      + " for "
                      + dev.ocean.cli.base.Text.count(x.days(), "day")
                      + "; an admin will review it."));
      return 0;
    }
  }

  @Command(name = "requests", description = "List your quota requests (pending ones unless --all).")
  public static final class ListRequests extends BaseCommand {
    @Option(names = "--all", description = "Include approved, rejected and cancelled requests.")
    boolean all;

    @Override
    public Integer call() {
      List<QuotaRequest> rs = client().get("/quota-requests" + (all ? "?all=true" : ""), REQUESTS);
      printList(rs, r -> String.valueOf(r.id()), l -> requestTable(l, false, out(), style()));
      return 0;
    }
  }

  @Command(name = "cancel", description = "Cancel one of your pending quota requests.")
  public static final class CancelRequest extends BaseCommand {
    @Parameters(paramLabel = "REQUEST_ID", description = "Request id.")
    long id;

    @Override
    public Integer call() {
      QuotaRequest r = client().post("/quota-requests/" + id + "/cancel", null, QuotaRequest.class);
      print(r, x -> String.valueOf(x.id()), x -> info("Quota request " + x.id() + " cancelled."));
      return 0;
    }
  }

  /** The quota table, shared with the admin's listing (which adds the user column). */
  public static void quotaTable(List<Quota> quotas, boolean withUser, PrintWriter out, Style s) {
    Table t = new Table("ID", "USER", "MACHINE TYPE", "GRANTED", "IN USE", "STATE", "EXPIRES");
    for (Quota q : quotas) {
      t.row(
          q.id(),
          q.user(),
          q.machineType(),
          q.count(),
          q.inUse(),
          s.state(q.state()),
          time(q.expiresAt()));
    }
    if (!withUser) {
      t.hide("USER");
    }
    t.print(out, s);
  }

  /** The request table, shared with the admin's listing (which keeps the user column). */
  public static void requestTable(
      List<QuotaRequest> rs, boolean withUser, PrintWriter out, Style s) {
    Table t = new Table("ID", "USER", "MACHINE TYPE", "COUNT", "DAYS", "STATE", "REASON", "NOTE");
    for (QuotaRequest r : rs) {
      t.row(
          r.id(),
          r.user(),
          r.machineType(),
          r.count(),
          r.days(),
          s.state(r.state()),
          r.reason(),
          r.note());
    }
    if (!withUser) {
      t.hide("USER");
    }
    t.print(out, s);
  }
}
