package dev.ocean.cli.daemon;

import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.ByteBuffer;

/**
 * The wire format between the native client ({@code dist/src/c/ocean-client.c}) and the daemon: a
 * frame is one type byte, a big-endian 32-bit length and that many bytes. The client sends the
 * request ({@link #ARG}, {@link #ENV}, {@link #CWD}, {@link #TTY}, {@link #CODESET}, then {@link
 * #GO}) and later {@link #STDIN} data only when asked; the daemon answers with output frames and
 * ends with {@link #EXIT} or {@link #RUN_JVM}. Both sides refuse frames over {@link #MAX}.
 */
final class Frames {
  // client to daemon
  static final byte ARG = 'a';
  static final byte ENV = 'e';
  static final byte CWD = 'd';

  /** Three bytes (isatty of 0, 1, 2) and the terminal width as a 32-bit integer (0: unknown). */
  static final byte TTY = 't';

  /** The C library's name for the caller's character set (nl_langinfo(CODESET)). */
  static final byte CODESET = 'c';

  static final byte GO = 'g';

  /** Bytes of standard input the daemon asked for; an empty frame is the end of input. */
  static final byte STDIN = 'i';

  // daemon to client
  static final byte STDOUT = 'O';
  static final byte STDERR = 'E';

  /** The command starts: from here on the client must not run it again itself. */
  static final byte BEGUN = 'B';

  /** Asks for at most the 32-bit count of bytes of standard input. */
  static final byte READ = 'R';

  /** The command's exit code as a 32-bit integer; the last frame. */
  static final byte EXIT = 'X';

  /** "Run it yourself": the client starts the command in its own JVM instead. */
  static final byte RUN_JVM = 'J';

  /** The largest frame either side accepts (output is sent in chunks of at most this). */
  static final int MAX = 1 << 20;

  private Frames() {}

  /** One frame read from the peer. */
  record Frame(byte type, byte[] payload) {
    int intValue() {
      return ByteBuffer.wrap(payload).getInt();
    }
  }

  static Frame read(DataInputStream in) throws IOException {
    int type = in.read();
    if (type < 0) {
      throw new EOFException("the peer closed the connection");
    }
    int length = in.readInt();
    if (length < 0 || length > MAX) {
      throw new IOException("a frame of " + length + " bytes is over the limit");
    }
    byte[] payload = new byte[length];
    in.readFully(payload);
    return new Frame((byte) type, payload);
  }

  /** Writes one frame; callers sharing {@code out} between threads synchronise on it. */
  static void write(OutputStream out, byte type, byte[] payload, int off, int len)
      throws IOException {
    byte[] head = {type, (byte) (len >>> 24), (byte) (len >>> 16), (byte) (len >>> 8), (byte) len};
    out.write(head);
    out.write(payload, off, len);
    out.flush();
  }

  static void write(OutputStream out, byte type, byte[] payload) throws IOException {
    write(out, type, payload, 0, payload.length);
  }

  static byte[] ofInt(int value) {
    return ByteBuffer.allocate(4).putInt(value).array();
  }
}
