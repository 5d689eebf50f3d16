package dev.ocean.server.logs;

import static org.junit.jupiter.api.Assertions.assertEquals;

import dev.ocean.server.job.Signals;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code logs --tail N} starts at the right line however the lines fall across read blocks. */
class LogTailTest {
  @TempDir Path dir;

  @Test
  void tailFindsTheLastLinesOfALogLongerThanOneReadBlock() {
    LogStore store = new LogStore(dir, new Signals());
    String log =
        IntStream.range(0, 20_000)
            .mapToObj(i -> "line " + i + " " + "x".repeat(i % 37) + "\n")
            .collect(Collectors.joining());
    byte[] bytes = log.getBytes(StandardCharsets.UTF_8);
    store.append(1, 0, 0, bytes);

    for (int n : new int[] {1, 2, 1000, 5000}) {
      long offset = store.tailOffset(1, 0, n);
      String tail = new String(store.read(1, 0, offset, bytes.length), StandardCharsets.UTF_8);
      assertEquals(n, tail.lines().count(), "tail " + n);
      assertEquals("line " + (20_000 - n) + " ", tail.substring(0, tail.indexOf(' ', 5) + 1));
    }
    assertEquals(0, store.tailOffset(1, 0, 30_000), "more lines than the log has: all of it");
    assertEquals(bytes.length, store.tailOffset(1, 0, 0));
  }

  @Test
  void tailOfALogWithoutAFinalNewlineCountsTheUnfinishedLine() {
    LogStore store = new LogStore(dir, new Signals());
    store.append(2, 0, 0, "a\nb\nunfinished".getBytes(StandardCharsets.UTF_8));
    assertEquals(4, store.tailOffset(2, 0, 1));
    assertEquals(2, store.tailOffset(2, 0, 2));
  }
}
