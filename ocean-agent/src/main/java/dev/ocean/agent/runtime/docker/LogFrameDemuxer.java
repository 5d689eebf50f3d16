package dev.ocean.agent.runtime.docker;

import dev.ocean.agent.runtime.LogSink;
import java.io.EOFException;
import java.io.IOException;
import java.io.InputStream;

/**
 * Copies the Docker logs stream of a container without a TTY into a {@link LogSink}: each frame is
 * an 8-byte header (stream 1 = stdout, 2 = stderr, three zero bytes, big-endian payload length)
 * followed by the payload. Both streams go to the sink in the order the engine sent them.
 *
 * <p>The first {@code skip} payload bytes are dropped: they are the ones the sink already holds
 * from before an agent restart.
 */
final class LogFrameDemuxer {

  private static final int CHUNK = 64 * 1024;

  private LogFrameDemuxer() {}

  /**
   * Copies until the stream ends and returns the payload bytes seen (skipped ones included).
   *
   * @throws EOFException when the stream ends inside a frame
   */
  static long copy(InputStream in, LogSink sink, long skip) throws IOException {
    byte[] header = new byte[8];
    byte[] buffer = new byte[CHUNK];
    long seen = 0;
    while (readFully(in, header, 8) == 8) {
      long remaining =
          ((header[4] & 0xFFL) << 24)
              | ((header[5] & 0xFFL) << 16)
              | ((header[6] & 0xFFL) << 8)
              | (header[7] & 0xFFL);
      while (remaining > 0) {
        int n = in.read(buffer, 0, (int) Math.min(buffer.length, remaining));
        if (n < 0) {
          throw new EOFException("log stream ended inside a frame");
        }
        int drop = (int) Math.max(0, Math.min(n, skip - seen));
        if (n > drop) {
          sink.append(buffer, drop, n - drop);
        }
        seen += n;
        remaining -= n;
      }
    }
    return seen;
  }

  /** Reads up to {@code length} bytes; fewer only at the end of the stream. */
  private static int readFully(InputStream in, byte[] into, int length) throws IOException {
    int total = 0;
    while (total < length) {
      int n = in.read(into, total, length - total);
      if (n < 0) {
        if (total > 0) {
          throw new EOFException("log stream ended inside a frame header");
        }
        return total;
      }
      total += n;
    }
    return total;
  }
}
