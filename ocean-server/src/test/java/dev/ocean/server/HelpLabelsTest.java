package dev.ocean.server;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/**
 * {@code ocean-server --help} and its subcommands' help name what each option takes ({@code DIR},
 * {@code URL}, ...) and say what it does, instead of showing Java field names like {@code
 * <dataDir>}.
 */
class HelpLabelsTest {
  /** picocli's fallback label: the field name in angle brackets. */
  static final Pattern FIELD_LABEL = Pattern.compile("<[a-z][A-Za-z0-9]*>");

  @Test
  void everyCommandsHelpLabelsAndDescribesEveryOption() {
    List<String> problems = new ArrayList<>();
    check(new CommandLine(new Main()), problems);
    assertEquals(List.of(), problems);
  }

  static void check(CommandLine cmd, List<String> problems) {
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

  /** picocli breaks a long line after '.', ':' or '?', which broke paths and URLs in two. */
  @Test
  void pathsAndExamplesStayWholeSoTheyCanBeCopied() {
    String help = new CommandLine(new Main()).getUsageMessage(CommandLine.Help.Ansi.OFF);
    for (String token :
        List.of(
            " ~/.local/share/ocean", " jdbc:postgresql://host/ocean?user=u&password=p", " 12h ")) {
      org.junit.jupiter.api.Assertions.assertTrue(help.contains(token), token + " in\n" + help);
    }
  }
}
