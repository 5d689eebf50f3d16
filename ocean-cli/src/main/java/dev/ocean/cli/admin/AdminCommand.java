package dev.ocean.cli.admin;

import dev.ocean.cli.base.Group;
import picocli.CommandLine.Command;

@Command(
    name = "admin",
    description =
        "Administration: users, quota requests, quotas, machine types, images, nodes, audit,"
            + " backups.",
    subcommands = {
      AdminUserCommand.class,
      AdminQuotaRequestCommand.class,
      AdminQuotaCommand.class,
      AdminMachineTypeCommand.class,
      AdminImageCommand.class,
      AdminNodeCommand.class,
      AdminAuditCommand.class,
      AdminBackupCommand.class
    })
public final class AdminCommand extends Group {}
