package dev.ocean.server.store;

import static org.junit.jupiter.api.Assertions.fail;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Stream;
import org.junit.jupiter.api.Assumptions;

/**
 * A real, throwaway PostgreSQL cluster for tests: {@code initdb} into a temp directory, started on
 * a free localhost port with its unix socket inside that directory, one fresh database per caller,
 * stopped and deleted when the JVM exits. One cluster serves the whole test run.
 *
 * <p>Binaries come from {@code $OCEAN_TEST_PG_BIN}, {@code /usr/lib/postgresql/VERSION/bin}
 * (Debian) or {@code PATH}. PostgreSQL refuses to run as root, so as root every server command runs
 * as the {@code postgres} OS user (via {@code runuser}) on a directory that user owns. Without the
 * binaries the test is skipped, unless {@code CI} is set: CI must exercise PostgreSQL, so it fails.
 */
public final class PostgresFixture {
  private static final String SUPERUSER = "ocean";
  private static final Object LOCK = new Object();
  private static PostgresFixture shared;
  private static String unavailable;
  private static RuntimeException startFailure;

  private final int port;
  private final AtomicInteger databases = new AtomicInteger();

  private PostgresFixture(int port) {
    this.port = port;
  }

  /**
   * The cluster of this test run, started on first use; aborts the calling test (skip) when
   * PostgreSQL is not installed, or fails it when {@code CI} is set.
   */
  public static PostgresFixture shared() {
    synchronized (LOCK) {
      if (startFailure != null) {
        throw new IllegalStateException(
            "the test PostgreSQL cluster failed to start", startFailure);
      }
      if (shared == null && unavailable == null) {
        Optional<Path> bin = findBinaries();
        if (bin.isEmpty()) {
          unavailable =
              "PostgreSQL server binaries (initdb, pg_ctl) not found in $OCEAN_TEST_PG_BIN,"
                  + " /usr/lib/postgresql/*/bin or PATH; install them (Debian: apt-get install"
                  + " postgresql)";
        } else {
          try {
            PostgresCluster.removeAbandoned(bin.get());
            shared = new PostgresFixture(PostgresCluster.start(bin.get(), SUPERUSER));
          } catch (RuntimeException e) {
            startFailure = e;
            throw e;
          }
        }
      }
      if (unavailable != null) {
        String ci = System.getenv("CI");
        if (ci != null && !ci.isBlank()) {
          fail(unavailable + " — CI is set, so PostgreSQL tests must run, not be skipped");
        }
        Assumptions.abort(unavailable + "; skipping the PostgreSQL variant");
      }
      return shared;
    }
  }

  /** Creates an empty database and returns a JDBC URL for it (user and password included). */
  public String createDatabase(String hint) {
    String name =
        "t" + databases.incrementAndGet() + "_" + hint.toLowerCase().replaceAll("[^a-z0-9]", "_");
    name = name.substring(0, Math.min(name.length(), 60));
    try (Connection c = DriverManager.getConnection(url("postgres"));
        Statement s = c.createStatement()) {
      s.execute("CREATE DATABASE " + name);
    } catch (SQLException e) {
      throw new IllegalStateException("cannot create test database " + name, e);
    }
    return url(name);
  }

  public int port() {
    return port;
  }

  private String url(String database) {
    return "jdbc:postgresql://127.0.0.1:" + port + "/" + database + "?user=" + SUPERUSER;
  }

  private static Optional<Path> findBinaries() {
    List<Path> candidates = new ArrayList<>();
    String override = System.getenv("OCEAN_TEST_PG_BIN");
    if (override != null && !override.isBlank()) {
      candidates.add(Path.of(override));
    }
    Path debian = Path.of("/usr/lib/postgresql");
    if (Files.isDirectory(debian)) {
      try (Stream<Path> versions = Files.list(debian)) {
        versions
            .filter(p -> p.getFileName().toString().matches("\\d+"))
            .sorted(
                Comparator.comparingInt((Path p) -> Integer.parseInt(p.getFileName().toString()))
                    .reversed())
            .map(p -> p.resolve("bin"))
            .forEach(candidates::add);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      }
    }
    String path = System.getenv("PATH");
    if (path != null) {
      Arrays.stream(path.split(":"))
          .filter(s -> !s.isEmpty())
          .map(Path::of)
          .forEach(candidates::add);
    }
    return candidates.stream()
        .filter(d -> Files.isExecutable(d.resolve("initdb")))
        .filter(d -> Files.isExecutable(d.resolve("pg_ctl")))
        .findFirst();
  }
}
