package dev.ocean.cli.instance;

import dev.ocean.cli.base.Group;
import picocli.CommandLine.Command;

/** Your personal remote dev environments (the tunnel commands; the rest comes with instances). */
@Command(
    name = "instance",
    description = "Your personal dev environments: reach them through the Ocean server.",
    subcommands = {InstanceProxyCommand.class, InstancePortForwardCommand.class})
public final class InstanceCommand extends Group {}
