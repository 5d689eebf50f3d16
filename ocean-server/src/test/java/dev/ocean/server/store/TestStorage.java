package dev.ocean.server.store;

import java.nio.file.Path;

/**
 * The databases Ocean runs on, as test parameters: {@code @EnumSource(TestStorage.class)} runs a
 * test once on an SQLite file and once on a fresh database in the shared {@link PostgresFixture}.
 */
public enum TestStorage {
  SQLITE {
    @Override
    public String newUrl(Path tempDir, String hint) {
      return Database.sqliteUrl(tempDir);
    }
  },
  POSTGRES {
    @Override
    public String newUrl(Path tempDir, String hint) {
      return PostgresFixture.shared().createDatabase(hint);
    }
  };

  /** A JDBC URL for an empty database of this kind; SQLite keeps its file in {@code tempDir}. */
  public abstract String newUrl(Path tempDir, String hint);

  /** Opens (and migrates) an empty database of this kind. */
  public Database open(Path tempDir, String hint) {
    return Database.open(newUrl(tempDir, hint));
  }
}
