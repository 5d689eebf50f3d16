package dev.ocean.server.backup;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.common.api.Quota;
import dev.ocean.common.api.job.Job;
import dev.ocean.common.api.job.Work;
import dev.ocean.common.client.OceanClient;
import dev.ocean.server.Main;
import dev.ocean.server.OceanServer;
import dev.ocean.server.durability.ScriptedCluster;
import dev.ocean.server.durability.ScriptedLoad;
import dev.ocean.server.store.TestStorage;
import java.io.InputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.UnaryOperator;
import java.util.zip.ZipEntry;
import java.util.zip.ZipInputStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/**
 * Backups taken while the server is busy (through the API and with {@code ocean-server backup}
 * beside the running server) restore into a new data directory on which a server starts with every
 * job, log byte, quota and node credential acknowledged before the backup began.
 */
class BackupRestoreTest {
  @TempDir Path dir;

  @Test
  void backupsUnderLoadRestoreEveryAcknowledgedJobLogQuotaAndNode() throws Exception {
    Path apiBackup = dir.resolve("api-backup");
    Path localBackup = dir.resolve("local-backup");
    Map<Long, String> ackedBeforeApi;
    Map<Long, String> ackedBeforeLocal;
    String credential;
    try (ScriptedCluster cluster = ScriptedCluster.start(dir.resolve("data"), c -> c)) {
      credential = cluster.credential;
      try (ScriptedLoad load = new ScriptedLoad(cluster)) {
        waitFor(() -> load.logs.size() >= 5, "the load has written logs of 5 jobs");
        ackedBeforeApi = load.ackedLogs();
        unzip(cluster.admin, apiBackup);
        ackedBeforeLocal = load.ackedLogs();
        Cli local =
            Cli.run(
                "backup", "--to", localBackup.toString(), "--data", dir.resolve("data").toString());
        assertEquals(0, local.exit, local.err);
        assertTrue(local.out.contains("Backed up"), local.out);
      }
    }

    assertRestores(apiBackup, dir.resolve("restored-api"), ackedBeforeApi, credential);
    assertRestores(localBackup, dir.resolve("restored-local"), ackedBeforeLocal, credential);
  }

  @Test
  void restoreRefusesADataDirectoryThatHoldsAnything() throws Exception {
    Path backup = dir.resolve("backup");
    Path live = dir.resolve("data");
    try (ScriptedCluster cluster = ScriptedCluster.start(live, c -> c)) {
      Cli b = Cli.run("backup", "--to", backup.toString(), "--data", live.toString());
      assertEquals(0, b.exit, b.err);
      long before = Files.size(live.resolve("ocean.db"));

      Cli r = Cli.run("restore", "--from", backup.toString(), "--data", live.toString());

      assertEquals(5, r.exit, r.out + r.err);
      assertTrue(r.err.startsWith("Error: " + "--data: ") && r.err.contains("is not empty"), r.err);
      assertEquals(before, Files.size(live.resolve("ocean.db")), "the live database is untouched");
      assertEquals(1, cluster.admin.get("/admin/users", List.class).size(), "still serving");

      Cli again = Cli.run("backup", "--to", backup.toString(), "--data", live.toString());
      assertEquals(5, again.exit, "a backup never overwrites another: " + again.err);
      assertTrue(again.err.contains("--to"), again.err);
    }
  }

  @Test
  void onPostgresEveryBackupCommandRefusesAndNamesPgDumpLeavingNoDirectory() throws Exception {
    String db = TestStorage.POSTGRES.newUrl(dir, "backup_pg");
    try (ScriptedCluster cluster = ScriptedCluster.start(dir.resolve("data"), c -> c.dbUrl(db))) {
      cluster.submit("pg");
      var refused =
          assertThrows(
              dev.ocean.common.client.OceanApiException.class,
              () -> cluster.admin.stream("/admin/backup").close());
      assertEquals(409, refused.status(), refused.getMessage());
      assertTrue(refused.getMessage().contains("pg_dump"), refused.getMessage());
    }

    Path backup = dir.resolve("pg-backup");
    Cli b = Cli.run("backup", "--to", backup.toString(), "--db", db);
    assertEquals(2, b.exit, b.out + b.err);
    assertTrue(b.err.startsWith("Error: " + "--db: ") && b.err.contains("pg_dump"), b.err);
    assertTrue(!Files.exists(backup), "nothing is created");

    // a backup an older release took of such a cluster: a manifest and no database
    Path old = Files.createDirectories(dir.resolve("old-pg-backup"));
    Files.writeString(
        old.resolve("ocean-backup.json"),
        "{\"format\":1,\"version\":\"0.1.0\",\"takenAt\":1796000000000,"
            + "\"database\":\"postgresql\",\"jobs\":0,\"logBytes\":0}");
    Path restored = dir.resolve("restored");
    Cli r = Cli.run("restore", "--from", old.toString(), "--data", restored.toString());
    assertEquals(5, r.exit, r.out + r.err);
    assertTrue(r.err.startsWith("Error: " + "--from: ") && r.err.contains("pg_restore"), r.err);
    assertTrue(!Files.exists(restored), "nothing is created");
  }

  @Test
  void restoreRefusesAnUnfinishedBackup() throws Exception {
    Path backup = Files.createDirectories(dir.resolve("partial"));
    Files.writeString(backup.resolve("ocean.db"), "half");

    Cli r =
        Cli.run("restore", "--from", backup.toString(), "--data", dir.resolve("new").toString());

    assertEquals(5, r.exit, r.out + r.err);
    assertTrue(r.err.startsWith("Error: " + "--from: ") && r.err.contains("not a finished"), r.err);
    assertTrue(!Files.exists(dir.resolve("new")), "nothing is created");
  }

  @Test
  void anEmptyFromIsAUsageError() {
    Cli r = Cli.run("restore", "--from", "", "--data", dir.resolve("n").toString());

    assertEquals(2, r.exit, r.out + r.err);
    assertEquals("Error: --from must not be empty.\n", r.err);
    assertTrue(!Files.exists(dir.resolve("n")), "nothing is created");
  }

  @Test
  void restoreFromABackupThatIsNotThereIsNotFound() {
    Path missing = dir.resolve("no-such-backup");

    Cli r = Cli.run("restore", "--from", missing.toString(), "--data", dir.resolve("n").toString());

    assertEquals(3, r.exit, r.out + r.err);
    assertEquals("Error: --from " + missing + " does not exist or is no directory.\n", r.err);
    assertTrue(!Files.exists(dir.resolve("n")), "nothing is created");
  }

  private void assertRestores(Path backup, Path data, Map<Long, String> acked, String credential)
      throws Exception {
    Cli r = Cli.run("restore", "--from", backup.toString(), "--data", data.toString());
    assertEquals(0, r.exit, r.err);
    assertEquals(
        Set.of(PosixFilePermissions.fromString("rw-------")),
        Set.of(Files.getPosixFilePermissions(data.resolve("ocean.db"))),
        "the restored database is owner-only");
    try (OceanServer restored = ScriptedCluster.startServer(data, UnaryOperator.identity())) {
      OceanClient admin = ScriptedCluster.login(restored.url());
      for (var e : acked.entrySet()) {
        Job job = admin.get("/jobs/" + e.getKey(), Job.class);
        String log = ScriptedCluster.log(admin, job.id(), 0);
        assertTrue(
            log.startsWith(e.getValue()),
            "job " + job.id() + " keeps its acknowledged log\n" + e.getValue() + "but has\n" + log);
      }
      List<Quota> quotas = admin.get("/quotas", new TypeReference<List<Quota>>() {});
      assertEquals(8, quotas.getFirst().count(), "the quota grant is there: " + quotas);
      Work w =
          ScriptedCluster.agentClient(restored.url(), credential)
              .get("/agent/work?wait=0", Work.class);
      assertTrue(w != null, "the node's credential still works");
    }
  }

  private static void unzip(OceanClient admin, Path to) throws Exception {
    Files.createDirectories(to);
    try (InputStream in = admin.stream("/admin/backup");
        ZipInputStream zip = new ZipInputStream(in)) {
      for (ZipEntry e = zip.getNextEntry(); e != null; e = zip.getNextEntry()) {
        Path f = to.resolve(e.getName()).normalize();
        assertTrue(f.startsWith(to), e.getName());
        Files.createDirectories(f.getParent());
        Files.copy(zip, f);
      }
    }
  }

  private static void waitFor(java.util.function.BooleanSupplier done, String what)
      throws InterruptedException {
    long deadline = System.nanoTime() + 60_000_000_000L;
    while (!done.getAsBoolean()) {
      if (System.nanoTime() > deadline) {
        throw new AssertionError("timed out waiting until " + what);
      }
      Thread.sleep(20);
    }
  }

  /** {@code ocean-server ARGS} in this JVM, as the launcher would run it. */
  record Cli(int exit, String out, String err) {
    static Cli run(String... args) {
      StringWriter out = new StringWriter();
      StringWriter err = new StringWriter();
      CommandLine cl = new CommandLine(new Main());
      cl.setOut(new PrintWriter(out, true));
      cl.setErr(new PrintWriter(err, true));
      int exit = cl.execute(args);
      return new Cli(exit, out.toString(), err.toString());
    }
  }
}
