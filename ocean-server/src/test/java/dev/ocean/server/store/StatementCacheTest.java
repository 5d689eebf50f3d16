package dev.ocean.server.store;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.List;
import org.jdbi.v3.core.statement.StatementContext;
import org.jdbi.v3.core.statement.StatementCustomizer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** SQLite statements are prepared once per connection and reused, and reuse changes no answer. */
class StatementCacheTest {
  @TempDir Path dir;

  /** Remembers which JDBC statement each execution ran on. */
  private static final class Seen implements StatementCustomizer {
    final List<Statement> statements = new ArrayList<>();

    @Override
    public void beforeExecution(java.sql.PreparedStatement stmt, StatementContext ctx) {
      statements.add(stmt);
    }
  }

  @Test
  void theSameQueryRunsOnTheSamePreparedStatementWithNewArguments() throws Exception {
    try (Database db = Database.open(Database.sqliteUrl(dir))) {
      Seen seen = new Seen();
      String sql = "SELECT :n * 10 UNION ALL SELECT :n * 100";
      List<Integer> answers = new ArrayList<>();
      // named parameters (JDBI prepares '?' but closes with ':n'), one handle after another, and
      // each way JDBI reads results (one, list, iteration)
      answers.add(
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(sql)
                          .bind("n", 1)
                          .addCustomizer(seen)
                          .mapTo(Integer.class)
                          .first()));
      answers.addAll(
          db.jdbi()
              .withHandle(
                  h ->
                      h.createQuery(sql)
                          .bind("n", 2)
                          .addCustomizer(seen)
                          .mapTo(Integer.class)
                          .list()));
      db.jdbi()
          .useHandle(
              h ->
                  h.createQuery(sql)
                      .bind("n", 3)
                      .addCustomizer(seen)
                      .mapTo(Integer.class)
                      .forEach(answers::add));

      assertEquals(List.of(10, 20, 200, 30, 300), answers);
      assertSame(seen.statements.get(0), seen.statements.get(1));
      assertSame(seen.statements.get(1), seen.statements.get(2));
      assertFalse(seen.statements.get(2).isClosed(), "kept open for the next use");
    }
  }

  @Test
  void aQueryRunAgainWhileItsResultsAreOpenGetsItsOwnStatement() {
    try (Database db = Database.open(Database.sqliteUrl(dir))) {
      Seen seen = new Seen();
      db.jdbi()
          .useHandle(
              h -> {
                h.execute("CREATE TABLE t (v INTEGER)");
                for (int i = 1; i <= 3; i++) {
                  h.execute("INSERT INTO t (v) VALUES (?)", i);
                }
              });
      List<String> pairs =
          db.jdbi()
              .withHandle(
                  h -> {
                    List<String> out = new ArrayList<>();
                    h.createQuery("SELECT v FROM t WHERE v >= ? ORDER BY v")
                        .bind(0, 1)
                        .addCustomizer(seen)
                        .mapTo(Integer.class)
                        .forEach(
                            outer ->
                                out.add(
                                    outer
                                        + ":"
                                        + h.createQuery("SELECT v FROM t WHERE v >= ? ORDER BY v")
                                            .bind(0, outer)
                                            .addCustomizer(seen)
                                            .mapTo(Integer.class)
                                            .list()));
                    return out;
                  });

      assertEquals(List.of("1:[1, 2, 3]", "2:[2, 3]", "3:[3]"), pairs);
      assertNotSame(seen.statements.get(0), seen.statements.get(1));
    }
  }

  @Test
  void writesThroughCachedStatementsCommitAndRollBackAsBefore() {
    try (Database db = Database.open(Database.sqliteUrl(dir))) {
      db.jdbi().useHandle(h -> h.execute("CREATE TABLE t (v INTEGER)"));
      for (int i = 0; i < 3; i++) {
        int v = i;
        db.jdbi().useTransaction(h -> h.execute("INSERT INTO t (v) VALUES (?)", v));
      }
      try {
        db.jdbi()
            .useTransaction(
                h -> {
                  h.execute("INSERT INTO t (v) VALUES (?)", 99);
                  throw new IllegalStateException("roll back");
                });
      } catch (IllegalStateException expected) {
        // the insert above is undone
      }
      // a batch on a statement that ran singly before
      db.jdbi()
          .useTransaction(
              h -> {
                var batch = h.prepareBatch("INSERT INTO t (v) VALUES (?)");
                batch.bind(0, 10).add().bind(0, 11).add();
                batch.execute();
              });

      assertEquals(
          List.of(0, 1, 2, 10, 11),
          db.jdbi()
              .withHandle(
                  h -> h.createQuery("SELECT v FROM t ORDER BY v").mapTo(Integer.class).list()));
    }
  }

  @Test
  void aConnectionWithKeptStatementsCanStillBeBackedUp() throws Exception {
    try (Database db = Database.open(Database.sqliteUrl(dir))) {
      Path copy = dir.resolve("copy.db");
      db.jdbi()
          .useHandle(
              h -> {
                h.execute("CREATE TABLE t (v INTEGER)");
                h.execute("INSERT INTO t (v) VALUES (?)", 1); // keeps its generated keys open
                h.createQuery("SELECT v FROM t").mapTo(Integer.class).one(); // ran to its end
                // VACUUM INTO refuses while any statement of the connection is in progress
                try (var vacuum = h.getConnection().prepareStatement("VACUUM INTO ?")) {
                  vacuum.setString(1, copy.toString());
                  vacuum.execute();
                }
              });

      assertTrue(java.nio.file.Files.size(copy) > 0);
    }
  }
}
