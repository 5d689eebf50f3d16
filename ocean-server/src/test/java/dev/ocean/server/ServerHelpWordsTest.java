package dev.ocean.server;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ocean-server --help} and its {@code backup}/{@code restore} say "Show this help and exit."
 * and "Print the version and exit." as every {@code ocean} and {@code ocean-agent} command does
 * (qa11 T5), not picocli's own words.
 */
class ServerHelpWordsTest {
  @Test
  void serverAndItsSubcommandsWordHelpLikeTheOtherPrograms() {
    CommandLine root = new CommandLine(new Main());
    for (CommandLine cmd :
        java.util.List.of(
            root, root.getSubcommands().get("backup"), root.getSubcommands().get("restore"))) {
      String help = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
      assertTrue(help.contains("Show this help and exit."), help);
      assertTrue(help.contains("Print the version and exit."), help);
      assertFalse(help.contains("help message"), help);
    }
  }
}
