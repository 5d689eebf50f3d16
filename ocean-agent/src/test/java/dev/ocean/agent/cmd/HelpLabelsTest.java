package dev.ocean.agent.cmd;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ocean-agent --help} and its subcommands' help name what each option takes ({@code URL},
 * {@code DIR}, ...) and say what it does, instead of showing Java field names like {@code
 * <stateDir>}.
 */
class HelpLabelsTest {
  private static final Pattern FIELD_LABEL = Pattern.compile("<[a-z][A-Za-z0-9]*>");

  @Test
  void everyCommandsHelpLabelsAndDescribesEveryOption() {
    List<String> problems = new ArrayList<>();
    check(new CommandLine(new AgentCommand()), problems);
    assertEquals(List.of(), problems);
  }

  private static void check(CommandLine cmd, List<String> problems) {
    String help = cmd.getUsageMessage(CommandLine.Help.Ansi.OFF);
    var m = FIELD_LABEL.matcher(help);
    while (m.find()) {
      problems.add(cmd.getCommandSpec().qualifiedName() + " --help shows " + m.group());
    }
    for (var o : cmd.getCommandSpec().options()) {
      if (o.description().length == 0 || o.description()[0].isBlank()) {
        problems.add(cmd.getCommandSpec().qualifiedName() + " " + o.longestName() + " has no text");
      }
    }
    cmd.getSubcommands().values().forEach(sub -> check(sub, problems));
  }

  /** picocli breaks a long line after '.' or ':', which broke the socket URL and ulimit in two. */
  @Test
  void pathsAndExamplesStayWholeSoTheyCanBeCopied() {
    String help =
        new CommandLine(new AgentCommand())
            .getSubcommands()
            .get("join")
            .getUsageMessage(CommandLine.Help.Ansi.OFF);
    for (String token : List.of(" unix:///run/podman/podman.sock", " nofile=4096:4096 ")) {
      org.junit.jupiter.api.Assertions.assertTrue(help.contains(token), token + " in\n" + help);
    }
  }

  /** Every option reads as a sentence, and the agent's root says help as its subcommands do. */
  @Test
  void everyOptionEndsWithAPeriodAndTheRootSaysHelpLikeTheRest() {
    List<String> problems = new ArrayList<>();
    CommandLine root = new CommandLine(new AgentCommand());
    for (CommandLine cmd : root.getSubcommands().values()) {
      for (var o : cmd.getCommandSpec().options()) {
        String[] d = o.description();
        if (d.length > 0 && !d[d.length - 1].strip().endsWith(".")) {
          problems.add(cmd.getCommandSpec().qualifiedName() + " " + o.longestName());
        }
      }
    }
    assertEquals(List.of(), problems, "descriptions without a final period");
    String help = root.getUsageMessage(CommandLine.Help.Ansi.OFF);
    org.junit.jupiter.api.Assertions.assertTrue(help.contains("Show this help and exit."), help);
    org.junit.jupiter.api.Assertions.assertTrue(help.contains("Print the version and exit."), help);
  }
}
