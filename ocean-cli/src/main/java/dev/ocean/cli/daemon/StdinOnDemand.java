package dev.ocean.cli.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.io.InterruptedIOException;
import java.io.OutputStream;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;

/**
 * A command's standard input in the daemon: the client reads its stdin only when this asks for
 * bytes, so a command that never reads leaves the caller's input alone ({@code while read l; do
 * ocean ...; done < file} keeps its lines).
 */
final class StdinOnDemand extends InputStream {
  private static final int CHUNK = 64 * 1024;
  private final OutputStream toClient;
  private final BlockingQueue<byte[]> arrived = new LinkedBlockingQueue<>();
  private byte[] current = new byte[0];
  private int pos;
  private boolean ended;

  StdinOnDemand(OutputStream toClient) {
    this.toClient = toClient;
  }

  /** Bytes the client sent; an empty array is the end of its input. */
  void arrived(byte[] bytes) {
    arrived.add(bytes);
  }

  @Override
  public int read() throws IOException {
    byte[] one = new byte[1];
    return read(one, 0, 1) < 0 ? -1 : one[0] & 0xff;
  }

  @Override
  public synchronized int read(byte[] b, int off, int len) throws IOException {
    if (len == 0) {
      return 0;
    }
    if (pos == current.length) {
      if (ended) {
        return -1;
      }
      synchronized (toClient) {
        Frames.write(toClient, Frames.READ, Frames.ofInt(Math.min(len, CHUNK)));
      }
      try {
        current = arrived.take();
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new InterruptedIOException("the caller went away");
      }
      pos = 0;
      if (current.length == 0) {
        ended = true;
        return -1;
      }
    }
    int n = Math.min(len, current.length - pos);
    System.arraycopy(current, pos, b, off, n);
    pos += n;
    return n;
  }
}
