package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.nio.file.Path;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** The change feed's aggregates run on SQLite and PostgreSQL alike and notice a new job. */
class ChangeFeedStorageTest {
  @TempDir Path dir;

  @ParameterizedTest
  @EnumSource(TestStorage.class)
  void aSubmittedJobMovesTheJobsTopicOnEveryStorage(TestStorage storage) throws Exception {
    try (var c = new ScriptedCluster(dir, storage);
        var feed = new ChangeFeed(c.server.database().jdbi())) {
      feed.poll(); // the baseline
      assertEquals(0, feed.version());
      feed.poll();
      assertEquals(0, feed.version(), "nothing changed, nothing moves");
      c.submit("train", null, 1);
      feed.poll();
      assertEquals(1L, feed.versions().get("jobs"));
      assertEquals(1, feed.version());
    }
  }
}
