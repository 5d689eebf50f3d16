package dev.ocean.cli.job;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code ocean logs} of a run whose stored log the server lost says so and exits 1, where it used
 * to print nothing and exit 0 like a run that printed nothing; such a run still prints nothing.
 */
class LostLogE2ETest {
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
  void logsOfALostLogSayItWasLostAndExit1() throws Exception {
    long id = cluster.submit("lines", "cpu1", "--", "sh", "-c", "echo one; echo two");
    cluster.ada.ocean("job", "wait", String.valueOf(id)).ok();
    assertEquals("one\ntwo\n", cluster.ada.ocean("logs", String.valueOf(id)).ok().out());

    Files.delete(dir.resolve("data/logs/" + id + "/0.log")); // behind the server's back

    for (String[] args :
        new String[][] {
          {"logs", String.valueOf(id)},
          {"logs", id + "/0", "-f"},
          {"logs", id + "/0", "--tail", "1"}
        }) {
      Result r = cluster.ada.ocean(args);
      String err = r.fails(1);
      assertEquals("", r.out());
      assertTrue(err.contains("the log of run " + id + "/0 (8 bytes) was lost"), r::toString);
      assertEquals(1, err.strip().lines().count(), r::toString);
    }
  }

  @Test
  void logsOfAJobPrintTheRunsThatKeptTheirLogsAndThenSayWhichWasLost() throws Exception {
    long id =
        cluster.submit(
            "three", "cpu1", "--repeat", "3", "--", "sh", "-c", "echo run $OCEAN_RUN_INDEX");
    cluster.ada.ocean("job", "wait", String.valueOf(id)).ok();

    Files.delete(dir.resolve("data/logs/" + id + "/1.log"));

    Result r = cluster.ada.ocean("logs", String.valueOf(id));
    String err = r.fails(1);
    assertEquals(
        "==> job "
            + id
            + " run 0 <==\nrun 0\n==> job "
            + id
            + " run 1 <==\n==> job "
            + id
            + " run 2 <==\nrun 2\n",
        r.out());
    assertTrue(err.contains("the log of run " + id + "/1 (6 bytes) was lost"), r::toString);
  }

  @Test
  void logsOfARunThatPrintedNothingPrintNothingAndExit0() {
    long id = cluster.submit("quiet", "cpu1", "--", "true");
    cluster.ada.ocean("job", "wait", String.valueOf(id)).ok();

    assertEquals("", cluster.ada.ocean("logs", String.valueOf(id)).ok().out());
    assertEquals("", cluster.ada.ocean("logs", id + "/0", "-f").ok().out());
  }
}
