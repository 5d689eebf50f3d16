package dev.ocean.cli.e2e;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.job.Job;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code ocean job submit --from-file F}: many different jobs in one command, all or none. */
class JobFromFileTest {
  private static final TypeReference<List<Job>> JOBS = new TypeReference<>() {};
  private static final TypeReference<List<Long>> IDS = new TypeReference<>() {};

  @TempDir Path dir;
  TestCluster cluster;
  Ocean ada;

  @BeforeEach
  void start() {
    cluster = TestCluster.start(dir).withCatalog();
    ada = cluster.user("ada@example.com");
    cluster.grant("ada@example.com", "g1.small", 3, 1);
  }

  @AfterEach
  void stop() {
    cluster.close();
  }

  private static String line(String name, String... command) {
    return "{\"name\": \""
        + name
        + "\", \"machine-type\": \"g1.small\", \"image\": \"pytorch\", \"command\": [\""
        + String.join("\", \"", command)
        + "\"]}";
  }

  private List<Job> jobs() {
    return ada.ocean("job", "list", "--all", "-o", "json").json(JOBS);
  }

  @Test
  void everyLineBecomesAJobAndTheIdsArePrintedInOrder() throws Exception {
    Path file = dir.resolve("jobs.jsonl");
    Files.writeString(
        file,
        line("prep", "echo", "prep")
            + "\n\n"
            + "{\"name\": \"train\", \"machineType\": \"g1.small\", \"image\": \"pytorch\","
            + " \"command\": [\"python\", \"train.py\"], \"env\": [\"LR=0.1\"], \"repeat\": 2,"
            + " \"reason\": \"sweep\"}\n"
            + line("eval", "true")
            + "\n");

    var out =
        ada.ocean("job", "submit", "--from-file", file.toString()).ok().out().lines().toList();

    assertEquals(3, out.size(), "one id a line: " + out);
    List<Job> listed = jobs().reversed(); // oldest first
    assertEquals(List.of("prep", "train", "eval"), listed.stream().map(Job::name).toList());
    assertEquals(out, listed.stream().map(j -> String.valueOf(j.id())).toList());
    Job train = listed.get(1);
    assertEquals(List.of("python", "train.py"), train.command());
    assertEquals(Map.of("LR", "0.1"), train.env());
    assertEquals(2, train.repeat());
    assertEquals("sweep", train.reason());
  }

  @Test
  void standardInputWorksAndJsonOutputIsAnArrayOfIds() {
    List<Long> ids =
        ada.withStdin(
                line("a", "true") + "\n" + line("b", "true") + "\n",
                "job",
                "submit",
                "--from-file",
                "-",
                "-o",
                "json")
            .ok()
            .json(IDS);

    assertEquals(2, ids.size());
    assertEquals(ids.reversed(), jobs().stream().map(Job::id).toList());
  }

  @Test
  void aBadLineIsNamedByItsNumberAndNothingIsSubmitted() throws Exception {
    Path file = dir.resolve("bad.jsonl");
    Files.writeString(
        file,
        line("a", "true")
            + "\n"
            + line("b", "true")
            + "\n\n"
            + line("c", "true").replace("pytorch", "no-such-image")
            + "\n");

    String error = ada.ocean("job", "submit", "--from-file", file.toString()).fails(3);

    assertTrue(error.contains("bad.jsonl line 4"), error);
    assertTrue(error.contains("no-such-image"), error);
    assertEquals(0, jobs().size());
    String typo =
        ada.withStdin(
                "{\"name\": \"x\", \"machine_type\": \"g1.small\"}\n",
                "job",
                "submit",
                "--from-file",
                "-")
            .fails(2);
    assertTrue(typo.contains("line 1: unknown field 'machine_type'"), typo);
  }

  private String refused(String line) {
    return ada.withStdin(line + "\n", "job", "submit", "--from-file", "-").fails(2);
  }

  @Test
  void aLineThatIsNotOneJsonObjectIsExplainedWithoutParserInternalsOrItsText() {
    String two = refused(line("a", "true") + " " + line("b", "true"));
    String cut = refused("{\"name\": \"a\", \"image\": [");
    String secret = refused("root:$6$salt$hash:19000:0:99999:7:::");

    assertEquals(
        "standard input line 1 holds more than one JSON object; give one job a line.", two);
    assertEquals(
        "standard input line 1 is not valid JSON: it ends before its object is closed.", cut);
    assertTrue(secret.startsWith("standard input line 1 is not valid JSON (column "), secret);
    assertTrue(!secret.contains("root"), secret);
    ada.withStdin("\uFEFF" + line("bom", "true") + "\n", "job", "submit", "--from-file", "-").ok();
    assertEquals(List.of("bom"), jobs().stream().map(Job::name).toList());
  }

  @Test
  void ambiguousOrEmptyFieldsAreRefusedInTheFilesTerms() {
    String both =
        refused(line("a", "true").replace("\"image\"", "\"machineType\": \"g1.small\", \"image\""));
    String emptyProgram = refused(line("a", ""));
    String longReason =
        refused(line("a", "true").replace("}", ", \"reason\": \"" + "r".repeat(5000) + "\"}"));
    String noName = ada.ocean("job", "submit", "--from-file", "").fails(2);
    String single =
        ada.ocean(
                "job",
                "submit",
                "--name",
                "x",
                "--machine-type",
                "g1.small",
                "--image",
                "pytorch",
                "--",
                "")
            .fails(2);

    assertTrue(both.contains("line 1: give machine-type or machineType, not both"), both);
    assertTrue(emptyProgram.contains("line 1: command must start with a program"), emptyProgram);
    assertTrue(longReason.contains("line 1: reason must be at most"), longReason);
    assertTrue(!longReason.contains("jobs[0]"), longReason);
    assertTrue(noName.contains("--from-file needs a file name"), noName);
    assertTrue(single.contains("COMMAND must start with a program"), single);
    assertEquals(0, jobs().size());
  }

  @Test
  void aFileOverSixteenMibIsRefusedBeforeItIsSentWithTheExitOfTooManyJobs() throws Exception {
    Path file = dir.resolve("big.jsonl");
    String arg = "x".repeat(17 * 1024);
    try (var w = Files.newBufferedWriter(file)) {
      for (int i = 0; i < 1000; i++) {
        w.write(line("j" + i, "echo", arg));
        w.write('\n');
      }
    }

    String error = ada.ocean("job", "submit", "--from-file", file.toString()).fails(2);

    assertTrue(error.contains("big.jsonl makes 17 MiB of JSON"), error);
    assertTrue(error.contains("at most 16 MiB, split the file"), error);
    assertEquals(0, jobs().size());
  }

  @Test
  void aFileOverTheQuotaExitsFiveAndSubmitsNothing() {
    StringBuilder four = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      four.append(line("j" + i, "true")).append('\n');
    }

    String error = ada.withStdin(four.toString(), "job", "submit", "--from-file", "-").fails(5);

    assertTrue(error.contains("quota"), error);
    assertEquals(0, jobs().size());
  }

  @Test
  void aRelativePathIsReadFromTheCurrentDirectoryAndSingleJobFlagsAreRefusedBesideIt()
      throws Exception {
    Path file = Files.createTempFile(Path.of("").toAbsolutePath(), "jobs-", ".jsonl");
    try {
      Files.writeString(file, line("here", "true") + "\n");
      String relative = file.getFileName().toString();

      ada.ocean("job", "submit", "--from-file", relative, "-q").ok();
      String both = ada.ocean("job", "submit", "--from-file", relative, "--name", "x").fails(2);

      assertEquals(List.of("here"), jobs().stream().map(Job::name).toList());
      assertTrue(both.contains("leave out --name"), both);
    } finally {
      Files.deleteIfExists(file);
    }
  }
}
