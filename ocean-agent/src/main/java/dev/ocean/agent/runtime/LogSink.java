package dev.ocean.agent.runtime;

import java.io.Closeable;
import java.io.IOException;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where a run's stdout and stderr go, interleaved as produced and byte for byte.
 *
 * <p>{@link #size()} tells how many bytes the sink already holds; a runtime that re-adopts a run
 * uses it to continue without duplicating output.
 */
public interface LogSink extends Closeable {

  void append(byte[] bytes, int offset, int length) throws IOException;

  /** Bytes the sink holds, including those written before this instance was opened. */
  long size() throws IOException;

  /** Makes everything appended so far durable. */
  void flush() throws IOException;

  /**
   * The file behind this sink, when there is one a child process may append to directly (so that
   * output survives the agent dying).
   */
  default Optional<Path> file() {
    return Optional.empty();
  }
}
