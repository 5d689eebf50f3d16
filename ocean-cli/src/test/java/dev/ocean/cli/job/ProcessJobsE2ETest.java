package dev.ocean.cli.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.cli.node.Poll;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Run;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Jobs end to end on bare metal: a real server, one {@code ocean-agent} process with the process
 * runtime, and the {@code ocean} CLI: submit, wait, follow, logs, cancel, repeat, the queue, quota
 * and who may see what.
 */
class ProcessJobsE2ETest {
  private static final Duration SOON = Duration.ofSeconds(60);

  @TempDir Path dir;
  private JobCluster cluster;

  @BeforeEach
  void start() {
    cluster = JobCluster.inProcess(dir);
  }

  @AfterEach
  void stop() throws Exception {
    cluster.close();
  }

  @Test
  void submitWaitAndFollowExitWithTheJobsExitCode() {
    Result followed =
        cluster.ada.ocean(
            "job",
            "submit",
            "--name",
            "mixed",
            "--machine-type",
            "cpu1",
            "--image",
            "host",
            "--follow",
            "--",
            "sh",
            "-c",
            "echo one; echo two >&2; exit 7");
    assertEquals(7, followed.exit(), followed::toString);
    assertEquals("one\ntwo\n", followed.out(), "stdout and stderr of the run, in order");
    String failedId = submittedId(followed);
    assertTrue(
        followed.err().contains("Job " + failedId + " failed: run 0 exited with code 7."),
        "the failure is explained: " + followed);

    Result waited =
        cluster.ada.ocean(
            "job",
            "submit",
            "--name",
            "fine",
            "--machine-type",
            "cpu1",
            "--image",
            "host",
            "--wait",
            "--",
            "true");
    assertEquals(0, waited.exit(), waited::toString);

    String done = submittedId(waited);
    Result cancel = cluster.ada.ocean("job", "cancel", done);
    assertEquals(0, cancel.exit(), cancel::toString);
    assertEquals("Job " + done + " already succeeded.\n", cancel.err());
  }

  /** The id from the "Job N submitted." line. */
  private static String submittedId(Result r) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("Job (\\d+) submitted").matcher(r.err());
    assertTrue(m.find(), r::toString);
    return m.group(1);
  }

  @Test
  void runSeesItsEnvironmentAndItsArgumentsLiterally() throws Exception {
    Path marker = dir.resolve("pwned");
    long literal =
        cluster.submit(
            "literal", "cpu1", "--", "printf", "[%s]\\n", "$(touch " + marker + ")", "a b", "*");
    cluster.ada.ocean("job", "wait", String.valueOf(literal)).ok();
    assertEquals(
        "[$(touch " + marker + ")]\n[a b]\n[*]\n", log(literal + "/0"), "argv is not re-parsed");
    assertFalse(Files.exists(marker), "nothing in an argument was executed");

    long envJob =
        cluster.submit(
            "env", "cpu1", "--env", "GREETING=hello world", "--env", "EMPTY=", "--", "env");
    cluster.ada.ocean("job", "wait", String.valueOf(envJob)).ok();
    Map<String, String> env = new HashMap<>();
    for (String line : log(envJob + "/0").lines().toList()) {
      int eq = line.indexOf('=');
      if (eq > 0) {
        env.put(line.substring(0, eq), line.substring(eq + 1));
      }
    }
    assertEquals(String.valueOf(envJob), env.get("OCEAN_JOB_ID"), env::toString);
    assertEquals("0", env.get("OCEAN_RUN_INDEX"), env::toString);
    assertEquals("hello world", env.get("GREETING"), env::toString);
    assertEquals("", env.get("EMPTY"), env::toString);
    assertEquals("", env.get("CUDA_VISIBLE_DEVICES"), "a run without GPUs sees none: " + env);
  }

  @Test
  void runWorksInItsVolumeOnTheSharedStorage() throws Exception {
    cluster.ada.ocean("volume", "create", "data", "--size", "1").ok();
    Path volume = cluster.volumeDir("data");
    Files.writeString(volume.resolve("input.txt"), "put there before\n");
    long id =
        cluster.submit(
            "vol",
            "cpu1",
            "--volume",
            "data",
            "--",
            "sh",
            "-c",
            "pwd; cat input.txt; echo written by the run > output.txt");
    waitFor(id).ok();
    assertEquals(volume.toRealPath() + "\nput there before\n", log(id + "/0"));
    assertEquals("written by the run\n", Files.readString(volume.resolve("output.txt")));
  }

  @Test
  void cancelStopsARunningProcessAndWaitExits143() throws Exception {
    cluster.ada.ocean("volume", "create", "data", "--size", "1").ok();
    Path pidFile = cluster.volumeDir("data").resolve("pid");
    long id =
        cluster.submit(
            "sleeper",
            "cpu1",
            "--volume",
            "data",
            "--",
            "sh",
            "-c",
            "echo $$ > pid.tmp; mv pid.tmp pid; exec sleep 300");
    long pid =
        Poll.until(
            SOON,
            "the run wrote its pid; agent log:\n" + cluster.agentLog(),
            () -> Files.exists(pidFile) ? Long.parseLong(read(pidFile).strip()) : null);
    assertTrue(ProcessHandle.of(pid).map(ProcessHandle::isAlive).orElse(false), "sleep runs");
    cluster.awaitJob(id, "is running", j -> j.runs().getFirst().state().equals("running"));

    cluster.ada.ocean("job", "cancel", String.valueOf(id)).ok();
    Job done = cluster.awaitJob(id, "is cancelled", j -> j.finishedAt() != null);
    assertEquals("cancelled", done.state());
    assertEquals("cancelled", done.runs().getFirst().state());
    assertTrue(
        ProcessHandle.of(pid).filter(ProcessHandle::isAlive).isEmpty(),
        "the run's process is gone once the job is cancelled");

    Result waited = waitFor(id);
    assertEquals(143, waited.exit(), "128 + SIGTERM, as a shell reports it: " + waited);
    assertTrue(waited.err().contains("Job " + id + " was cancelled."), waited::toString);
  }

  @Test
  void repeatRunsEveryIndexWithAtMostParallelAtOnce() throws Exception {
    cluster.ada.ocean("volume", "create", "data", "--size", "1").ok();
    Path volume = cluster.volumeDir("data");
    long id =
        cluster.submit(
            "rep",
            "cpu1",
            "--volume",
            "data",
            "--repeat",
            "4",
            "--parallel",
            "2",
            "--",
            "sh",
            "-c",
            "f=run-$OCEAN_RUN_INDEX.txt; echo start $(date +%s%N) >> $f; echo run"
                + " $OCEAN_RUN_INDEX; sleep 0.5; echo end $(date +%s%N) >> $f");
    int[] most = {0};
    Job done =
        Poll.until(
            SOON,
            "job " + id + " ends",
            () -> {
              Job j = cluster.job(id);
              long active =
                  j.runs().stream()
                      .filter(r -> r.state().equals("running") || r.state().equals("assigned"))
                      .count();
              most[0] = Math.max(most[0], (int) active);
              return j.finishedAt() != null ? j : null;
            });
    assertEquals("succeeded", done.state(), done::toString);
    assertTrue(most[0] <= 2, "at most 2 runs active in any sample, saw " + most[0]);
    assertEquals(List.of(0, 1, 2, 3), done.runs().stream().map(Run::index).toList());

    List<long[]> spans = new ArrayList<>();
    for (int i = 0; i < 4; i++) {
      List<String> lines = Files.readAllLines(volume.resolve("run-" + i + ".txt"));
      assertEquals(2, lines.size(), "run " + i + " ran once: " + lines);
      assertTrue(lines.get(0).startsWith("start ") && lines.get(1).startsWith("end "), "" + lines);
      spans.add(new long[] {number(lines.get(0)), number(lines.get(1))});
    }
    for (long[] span : spans) {
      long overlapping = spans.stream().filter(o -> o[0] <= span[0] && span[0] < o[1]).count();
      assertTrue(overlapping <= 2, "more than 2 runs were running when one started");
    }

    StringBuilder expected = new StringBuilder();
    for (int i = 0; i < 4; i++) {
      expected.append("==> job ").append(id).append(" run ").append(i).append(" <==\n");
      expected.append("run ").append(i).append('\n');
    }
    assertEquals(expected.toString(), log(String.valueOf(id)), "each run has its own log");
  }

  @Test
  void logsOfACancelledRepeatSkipTheRunsThatNeverStarted() {
    long id =
        cluster.submit(
            "many", "cpu1", "--repeat", "5", "--parallel", "1", "--", "sh", "-c", "exec sleep 300");
    cluster.awaitJob(id, "runs run 0", j -> j.runs().getFirst().state().equals("running"));
    cluster.ada.ocean("job", "cancel", String.valueOf(id)).ok();
    cluster.awaitJob(id, "is cancelled", j -> j.finishedAt() != null);

    String log = log(String.valueOf(id));
    assertTrue(log.startsWith("==> job " + id + " run 0 <==\n"), log);
    assertTrue(
        log.endsWith("==> job " + id + " runs 1-4 ended before they started: no log <==\n"), log);
    assertFalse(log.contains("run 1 <=="), log);
  }

  @Test
  void logsPrintTheWholeLogOrItsTail() {
    long id =
        cluster.submit(
            "lines", "cpu1", "--", "sh", "-c", "for i in 1 2 3 4 5; do echo line $i; done");
    waitFor(id).ok();
    assertEquals("line 1\nline 2\nline 3\nline 4\nline 5\n", log(id + "/0"));
    assertEquals(
        "line 5\n", cluster.ada.ocean("logs", String.valueOf(id), "--tail", "1").ok().out());
    assertEquals(
        "line 4\nline 5\n", cluster.ada.ocean("logs", id + "/0", "--tail", "2").ok().out());
  }

  @Test
  void logsAreTheJobsBytesUnderANonUtf8Locale() {
    // what LC_ALL=C gives a JVM's stdout: US-ASCII, where non-ASCII text would become '?'
    long id =
        cluster.submit(
            "utf8", "cpu1", "--", "sh", "-c", "printf 'h\\303\\251llo \\346\\227\\245\\n'");
    waitFor(id).ok();
    var out = new java.io.ByteArrayOutputStream();

    int code = cluster.ada.toStream(out, StandardCharsets.US_ASCII, "logs", String.valueOf(id));

    assertEquals(0, code);
    assertEquals("h\u00e9llo \u65e5\n", out.toString(StandardCharsets.UTF_8));
  }

  @Test
  void followReceivesEveryLineInOrderAndEndsWithTheRun() throws Exception {
    long id =
        cluster.submit(
            "ticker",
            "cpu1",
            "--",
            "sh",
            "-c",
            "i=0; while [ $i -lt 20 ]; do echo tick $i; i=$((i+1)); sleep 0.1; done");
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CompletableFuture<Integer> follow =
        CompletableFuture.supplyAsync(
            () -> cluster.ada.streaming(out, err, "logs", String.valueOf(id), "-f"));
    Poll.check(SOON, "the first line arrives: " + out, () -> out.toString().startsWith("tick 0\n"));

    assertEquals(0, follow.get(60, TimeUnit.SECONDS), err::toString);
    String expected =
        IntStream.range(0, 20).mapToObj(i -> "tick " + i + "\n").collect(Collectors.joining());
    assertEquals(expected, out.toString(), "no line lost or repeated");
    assertEquals(
        "succeeded", cluster.job(id).runs().getFirst().state(), "follow ends with the run");
  }

  @Test
  void listShowsWhereAPendingJobWaitsAndWhy() {
    String whole = cluster.wholeNodeType();
    long hog = cluster.submit("hog", whole, "--", "sleep", "300");
    cluster.awaitJob(hog, "is running", j -> j.runs().getFirst().state().equals("running"));
    long next = cluster.submit("next", whole, "--", "true");

    Run waiting =
        cluster
            .awaitJob(next, "waits in the queue", j -> j.runs().getFirst().queuePosition() != null)
            .runs()
            .getFirst();
    assertEquals("pending", waiting.state());
    assertEquals(1, waiting.queuePosition());
    assertTrue(
        waiting.waitReason().contains(JobCluster.NODE) && waiting.waitReason().contains("CPU"),
        waiting::toString);
    String row =
        cluster
            .ada
            .ocean("job", "list")
            .ok()
            .out()
            .lines()
            .filter(l -> l.startsWith(next + " "))
            .findFirst()
            .orElseThrow();
    assertTrue(row.contains("pending") && row.contains("#1 " + waiting.waitReason()), row);

    cluster.ada.ocean("job", "cancel", String.valueOf(hog)).ok();
    assertEquals(0, waitFor(next).exit(), "the waiting job runs once the node is free");
  }

  @Test
  void submissionOverQuotaIsRefusedSayingWhatIsInUse() {
    cluster.submit("first", "cpu2", "--", "sleep", "300");
    String err =
        cluster
            .ada
            .ocean(
                "job",
                "submit",
                "--name",
                "second",
                "--machine-type",
                "cpu2",
                "--image",
                "host",
                "--",
                "true")
            .fails(5);
    assertTrue(err.contains("1 of 1 in use") && err.contains("ocean quota request"), err);
    String none =
        cluster
            .bob
            .ocean(
                "job",
                "submit",
                "--name",
                "x",
                "--machine-type",
                "cpu1",
                "--image",
                "host",
                "--",
                "true")
            .fails(5);
    assertTrue(none.contains("no active quota"), none);
  }

  @Test
  void unregisteredImageIsNotFound() {
    String err =
        cluster
            .ada
            .ocean(
                "job",
                "submit",
                "--name",
                "x",
                "--machine-type",
                "cpu1",
                "--image",
                "nope",
                "--",
                "true")
            .fails(3);
    assertTrue(err.contains("nope"), err);
  }

  @Test
  void anotherUsersJobIsNotFound() {
    long id = cluster.submit("private", "cpu1", "--", "true");
    waitFor(id).ok();
    String job = String.valueOf(id);
    cluster.bob.ocean("job", "get", job).fails(3);
    cluster.bob.ocean("logs", job).fails(3);
    cluster.bob.ocean("job", "cancel", job).fails(3);
    assertEquals("", cluster.bob.ocean("job", "list", "--all", "-q").ok().out());
    assertEquals(job, cluster.admin.ocean("job", "get", job, "-q").ok().out().strip());
  }

  private Result waitFor(long id) {
    return cluster.ada.ocean("job", "wait", String.valueOf(id));
  }

  private static long number(String line) {
    return Long.parseLong(line.substring(line.indexOf(' ') + 1).strip());
  }

  private static String read(Path file) {
    try {
      return Files.readString(file);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private String log(String target) {
    return cluster.ada.ocean("logs", target).ok().out();
  }
}
