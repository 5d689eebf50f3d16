package dev.ocean.cli.daemon;

import java.io.IOException;
import java.io.OutputStream;

/**
 * A command's stdout or stderr in the daemon: every write goes to the client as frames of one type,
 * in chunks the client accepts. Both streams of a request share one lock.
 */
final class FramedOutput extends OutputStream {
  private static final int CHUNK = 64 * 1024;
  private final OutputStream toClient;
  private final byte type;

  FramedOutput(OutputStream toClient, byte type) {
    this.toClient = toClient;
    this.type = type;
  }

  @Override
  public void write(int b) throws IOException {
    write(new byte[] {(byte) b}, 0, 1);
  }

  @Override
  public void write(byte[] b, int off, int len) throws IOException {
    while (len > 0) {
      int n = Math.min(len, CHUNK);
      synchronized (toClient) {
        Frames.write(toClient, type, b, off, n);
      }
      off += n;
      len -= n;
    }
  }
}
