package dev.ocean.agent.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import dev.ocean.agent.runtime.SpoolLogSink;
import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.EOFException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class LogFrameDemuxerTest {

  @TempDir Path spool;

  @Test
  void stdoutAndStderrFramesAreInterleavedInArrivalOrder() throws Exception {
    byte[] stream = frames(frame(1, "out 1\n"), frame(2, "err 1\n"), frame(1, "out 2"));
    assertEquals("out 1\nerr 1\nout 2", demux(stream, 0));
  }

  @Test
  void skippedBytesMayEndInsideAFrame() throws Exception {
    byte[] stream = frames(frame(1, "abc"), frame(2, "defg"), frame(1, "h"));
    assertEquals("efgh", demux(stream, 4));
    assertEquals("", demux(stream, 8));
    assertEquals("", demux(stream, 100));
  }

  @Test
  void streamCutInsideAFrameIsAnError() {
    byte[] whole = frame(1, "abcdef");
    byte[] cut = java.util.Arrays.copyOf(whole, whole.length - 2);
    assertThrows(EOFException.class, () -> demux(cut, 0));
  }

  private String demux(byte[] stream, long skip) throws Exception {
    Path file = spool.resolve("r-" + skip + "-" + stream.length + ".log");
    Files.deleteIfExists(file);
    try (SpoolLogSink sink =
        SpoolLogSink.open(spool, file.getFileName().toString().replace(".log", ""))) {
      LogFrameDemuxer.copy(new ByteArrayInputStream(stream), sink, skip);
    }
    return Files.readString(file);
  }

  private static byte[] frame(int stream, String payload) {
    byte[] bytes = payload.getBytes(StandardCharsets.UTF_8);
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    out.write(stream);
    out.writeBytes(new byte[] {0, 0, 0});
    int n = bytes.length;
    out.writeBytes(new byte[] {(byte) (n >>> 24), (byte) (n >>> 16), (byte) (n >>> 8), (byte) n});
    out.writeBytes(bytes);
    return out.toByteArray();
  }

  private static byte[] frames(byte[]... frames) {
    ByteArrayOutputStream out = new ByteArrayOutputStream();
    for (byte[] f : frames) {
      out.writeBytes(f);
    }
    return out.toByteArray();
  }
}
