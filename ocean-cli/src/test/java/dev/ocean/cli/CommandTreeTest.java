package dev.ocean.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.base.CliContext;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.Map;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

/**
 * A command line builds only the command it names (a faster start), yet help, completion, global
 * options before the command and typos behave as with the whole tree.
 */
class CommandTreeTest {
  private final CommandSpec root = Cli.tree().getCommandSpec();

  @Test
  void everyPositionalArgumentIsDescribedInHelp() {
    java.util.List<String> bare = new java.util.ArrayList<>();
    java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>();
    todo.add(Cli.tree());
    while (!todo.isEmpty()) {
      picocli.CommandLine c = todo.pop();
      todo.addAll(c.getSubcommands().values());
      for (var p : c.getCommandSpec().positionalParameters()) {
        if (String.join("", p.description()).isBlank()) {
          bare.add(c.getCommandSpec().qualifiedName() + " " + p.paramLabel());
        }
      }
    }
    assertEquals(java.util.List.of(), bare.stream().distinct().sorted().toList());
  }

  @Test
  void everyOptionsValueHasALabelAUserReads() {
    // picocli's default label is the Java field, e.g. --machine-type=<machineType>
    java.util.List<String> raw = new java.util.ArrayList<>();
    java.util.ArrayDeque<picocli.CommandLine> todo = new java.util.ArrayDeque<>();
    todo.add(Cli.tree());
    while (!todo.isEmpty()) {
      picocli.CommandLine c = todo.pop();
      todo.addAll(c.getSubcommands().values());
      for (var o : c.getCommandSpec().options()) {
        if (o.arity().max() > 0 && o.paramLabel().contains("<")) {
          raw.add(
              c.getCommandSpec().qualifiedName() + " " + o.longestName() + "=" + o.paramLabel());
        }
      }
    }
    assertEquals(java.util.List.of(), raw.stream().distinct().sorted().toList());
  }

  @Test
  void aGroupRunAloneListsTheSubcommandsHelpListsNotHiddenOnes() {
    Out daemon = run("daemon");

    assertEquals(2, daemon.exit, daemon.err);
    assertTrue(daemon.err.contains("needs a subcommand: status, stop."), daemon.err);
  }

  @Test
  void theCommandIsFoundAfterGlobalOptionsAndTheirValues() {
    assertEquals("job", Cli.commandWord(root, "job", "list"));
    assertEquals("job", Cli.commandWord(root, "-v", "--no-color", "job", "list"));
    assertEquals("job", Cli.commandWord(root, "--server=http://127.0.0.1:1", "job", "list"));
    // an option's value that reads like a command is not the command
    assertEquals(
        "volume", Cli.commandWord(root, "--token", "job", "-q", "-o", "json", "volume", "list"));
    assertEquals("volume", Cli.commandWord(root, "--server", "admin", "volume", "list"));
  }

  @Test
  void helpCompletionAndUnclearLinesGetTheWholeTree() {
    assertNull(Cli.commandWord(root));
    assertNull(Cli.commandWord(root, "help", "job", "submit"));
    assertNull(Cli.commandWord(root, "completion", "bash"));
    assertNull(Cli.commandWord(root, "--help", "job"));
    assertNull(Cli.commandWord(root, "-qv", "job", "list"));
    assertNull(Cli.commandWord(root, "--", "job"));
  }

  @Test
  void rootHelpListsEveryCommand() {
    Out r = run("--help");
    assertEquals(0, r.exit, r.err);
    for (Class<?> c : OceanCommand.COMMANDS) {
      String name = c.getAnnotation(CommandLine.Command.class).name();
      assertTrue(r.out.contains("\n  " + name + " "), name + " listed in\n" + r.out);
    }
  }

  @Test
  void helpOfANestedCommandAndATypoStillWork() {
    Out help = run("help", "job", "submit");
    assertEquals(0, help.exit, help.err);
    assertTrue(help.out.contains("--machine-type"), help.out);

    Out typo = run("jbo", "list");
    assertEquals(2, typo.exit, typo.out);
    assertTrue(typo.err.startsWith("Error: 'ocean' has no command 'jbo'; try one of "), typo.err);
    Out nested = run("job", "lsit");
    assertEquals(2, nested.exit, nested.out);
    assertTrue(nested.err.startsWith("Error: 'ocean job' has no command 'lsit'"), nested.err);

    Out version = run("--version");
    assertEquals(0, version.exit, version.err);
    assertTrue(version.out.startsWith("ocean "), version.out);

    Out group = run("--no-color", "job", "--help");
    assertEquals(0, group.exit, group.err);
    assertTrue(group.out.contains("submit"), group.out);
  }

  @Test
  void aGroupsSubcommandIsTheWordAfterItUnlessAnOptionOrHelpComesFirst() {
    assertEquals("list", Cli.nextWord("job", "-v", "job", "list", "--all"));
    assertNull(Cli.nextWord("job", "job", "-o", "json", "list"));
    assertNull(Cli.nextWord("job", "job", "help", "list"));
    assertNull(Cli.nextWord("job", "job"));
  }

  @Test
  void jobsSubcommandsAllShowInHelpAndErrorsWhileOneIsBuiltForARun() {
    Out help = run("job", "--help");
    assertEquals(0, help.exit, help.err);
    for (String sub : new String[] {"submit", "list", "get", "cancel", "wait"}) {
      assertTrue(help.out.contains("\n  " + sub + " "), sub + " listed in\n" + help.out);
    }
    Out alone = run("job");
    assertEquals(2, alone.exit, alone.err);
    assertTrue(alone.err.contains("submit, list, get, cancel, wait"), alone.err);

    Out typo = run("job", "lsit");
    assertEquals(2, typo.exit, typo.err);
    assertTrue(typo.err.contains("'lsit'"), "names what it did not know: " + typo.err);

    Out usage = run("job", "get");
    assertEquals(2, usage.exit, usage.err);
    assertTrue(usage.err.contains("JOB_ID"), "the named command runs: " + usage.err);
  }

  @Test
  void aMistypedFlagIsNamedEvenWhenItLeavesARequiredOneMissing() {
    Out typo = run("instance", "create", "box", "--machine-typ", "cpu", "--image", "img");
    assertEquals(2, typo.exit, typo.err);
    assertTrue(typo.err.contains("'--machine-typ'"), "the typo is named: " + typo.err);
  }

  private record Out(int exit, String out, String err) {}

  private static Out run(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx =
        new CliContext(
            Map.of("NO_COLOR", "1"),
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            null,
            false);
    int exit = Cli.run(ctx, args);
    return new Out(exit, out.toString(), err.toString());
  }

  @Test
  void anExtraArgumentIsNamedInOneSentenceNotByAnIndex() {
    // qa11 T11: "Unmatched argument at index 3: '2'" counted words the user did not type
    Out get = run("job", "get", "1", "2");
    assertEquals(2, get.exit, get.err);
    assertEquals(
        "Error: `ocean job get` takes one JOB_ID; unexpected '2'.\nSee 'ocean job get --help'.\n",
        get.err);
    Out whoami = run("whoami", "extra");
    assertEquals(2, whoami.exit, whoami.err);
    assertTrue(
        whoami.err.startsWith("Error: `ocean whoami` takes no arguments; unexpected 'extra'."),
        whoami.err);
  }
}
