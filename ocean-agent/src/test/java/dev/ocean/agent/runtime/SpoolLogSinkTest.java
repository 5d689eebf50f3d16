package dev.ocean.agent.runtime;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SpoolLogSinkTest {

  @TempDir Path spool;

  @Test
  void bytesArePreservedAndReopeningContinuesAfterTheLastByte() throws Exception {
    byte[] binary = {0, (byte) 0xff, '\r', '\n', (byte) 0xc3};
    try (SpoolLogSink sink = SpoolLogSink.open(spool, "42-0")) {
      sink.append(binary, 0, binary.length);
      assertEquals(5, sink.size());
    }
    try (SpoolLogSink sink = SpoolLogSink.open(spool, "42-0")) {
      assertEquals(5, sink.size());
      sink.append("xab".getBytes(), 1, 2);
      sink.flush();
    }
    byte[] expected = {0, (byte) 0xff, '\r', '\n', (byte) 0xc3, 'a', 'b'};
    assertArrayEquals(expected, Files.readAllBytes(spool.resolve("42-0.log")));
  }

  @Test
  void runIdsThatCouldEscapeTheSpoolAreRefused() {
    for (String bad : new String[] {"../x", "a/b", "", ".hidden", "x y"}) {
      assertThrows(IllegalArgumentException.class, () -> SpoolLogSink.open(spool, bad), bad);
    }
  }
}
