package dev.ocean.cli.base;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintWriter;
import java.nio.charset.Charset;

/**
 * A standard stream's writer that also lets bytes through unchanged: text is encoded in the
 * stream's charset (the caller's locale), while a job's log, which is the job's bytes and not text
 * of ours, is copied as is ({@link #writeBytes}), so {@code LC_ALL=C ocean logs} does not turn
 * non-ASCII into '?'. When the reader of those bytes is gone, it throws {@link OutputClosed}.
 */
public final class ByteWriter extends PrintWriter {
  private final OutputStream stream;

  public ByteWriter(OutputStream stream, boolean autoFlush, Charset charset) {
    super(stream, autoFlush, charset);
    this.stream = stream;
  }

  /** Whether this writes to this process's own standard output (not a daemon client's). */
  public boolean isProcessStdout() {
    return stream == System.out;
  }

  /** Writes {@code bytes} after any text written before them, and flushes. */
  public void writeBytes(byte[] bytes, int off, int len) throws IOException {
    flush();
    synchronized (lock) {
      try {
        stream.write(bytes, off, len);
        stream.flush();
      } catch (IOException e) {
        throw new OutputClosed(); // the daemon's client went away with its reader
      }
      // System.out keeps an EPIPE to itself: ask it, or a follow would stream into nothing
      if (stream instanceof java.io.PrintStream ps && ps.checkError()) {
        throw new OutputClosed();
      }
    }
  }
}
