package dev.ocean.cli.admin;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.AuditEntry;
import java.util.List;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "audit", description = "Show the audit log: who did what, when.")
public final class AdminAuditCommand extends BaseCommand {
  @Option(
      names = "--limit",
      paramLabel = "N",
      defaultValue = "50",
      description = "How many entries (default ${DEFAULT-VALUE}).")
  int limit;

  @Override
  public Integer call() {
    if (limit < 1 || limit > 1000) {
      throw new CliException(ExitCodes.USAGE, "--limit must be between 1 and 1000, not " + limit);
    }
    List<AuditEntry> entries =
        client().get("/admin/audit?limit=" + limit, new TypeReference<List<AuditEntry>>() {});
    printList(
        entries,
        e -> String.valueOf(e.id()),
        es -> {
          Table t = new Table("TIME", "ACTOR", "ACTION", "RESOURCE", "DETAIL");
          for (AuditEntry e : es) {
            t.row(time(e.at()), e.actor(), e.action(), e.resource(), e.detail());
          }
          t.print(out(), style());
        });
    return 0;
  }
}
