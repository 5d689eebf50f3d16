package dev.ocean.agent.runtime;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.Optional;

/**
 * The durable log spool of one run: an append-only file {@code <spool>/<runId>.log} that the agent
 * later ships to the server by byte offset, so this file is the source of truth for the run's
 * output.
 *
 * <p>Bytes are written as received (stdout and stderr interleaved, nothing re-encoded) straight to
 * the file, so an agent crash loses nothing the kernel has; {@code fsync} runs at most every {@link
 * #SYNC_INTERVAL} while appending and on {@link #flush()} / {@link #close()}, which bounds what a
 * machine crash can lose. Opening an existing spool continues after its last byte.
 */
public final class SpoolLogSink implements LogSink {

  /** Longest time appended bytes may wait for an {@code fsync}, given more output arrives. */
  public static final Duration SYNC_INTERVAL = Duration.ofSeconds(1);

  private final Path file;
  private final FileChannel channel;
  private long lastSyncNanos = System.nanoTime();
  private boolean dirty;

  private SpoolLogSink(Path file) throws IOException {
    this.file = file;
    this.channel =
        FileChannel.open(
            file, StandardOpenOption.CREATE, StandardOpenOption.WRITE, StandardOpenOption.APPEND);
  }

  /** Opens (creating if needed) the spool of {@code runId} under {@code spoolDir}. */
  public static SpoolLogSink open(Path spoolDir, String runId) throws IOException {
    Files.createDirectories(spoolDir);
    return new SpoolLogSink(fileOf(spoolDir, runId));
  }

  /** The spool file of {@code runId} under {@code spoolDir}, whether or not it exists yet. */
  public static Path fileOf(Path spoolDir, String runId) {
    return spoolDir.resolve(RunSpec.requireValidRunId(runId) + ".log");
  }

  @Override
  public synchronized void append(byte[] bytes, int offset, int length) throws IOException {
    ByteBuffer buffer = ByteBuffer.wrap(bytes, offset, length);
    while (buffer.hasRemaining()) {
      channel.write(buffer);
    }
    dirty = true;
    if (System.nanoTime() - lastSyncNanos >= SYNC_INTERVAL.toNanos()) {
      flush();
    }
  }

  @Override
  public synchronized long size() throws IOException {
    return channel.isOpen() ? channel.size() : Files.size(file);
  }

  @Override
  public synchronized void flush() throws IOException {
    if (dirty && channel.isOpen()) {
      channel.force(false);
      dirty = false;
    }
    lastSyncNanos = System.nanoTime();
  }

  @Override
  public Optional<Path> file() {
    return Optional.of(file);
  }

  @Override
  public synchronized void close() throws IOException {
    if (channel.isOpen()) {
      dirty = true; // a process runtime appends behind our back; sync whatever is there
      flush();
      channel.close();
    }
  }
}
