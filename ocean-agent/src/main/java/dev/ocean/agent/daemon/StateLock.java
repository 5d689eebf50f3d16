package dev.ocean.agent.daemon;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.OptionalLong;

/**
 * One agent per state directory: {@code join} and {@code run} hold an exclusive lock on {@code
 * agent.lock} for as long as they run, so a second agent on the same directory refuses instead of
 * starting every run a second time. The file names the holder's pid; the operating system drops the
 * lock when the holder dies, however it dies.
 */
public final class StateLock implements AutoCloseable {
  public static final String FILE = "agent.lock";

  private final FileChannel channel;
  private final FileLock lock;

  private StateLock(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /** Thrown when another live agent holds the directory. */
  public static final class Held extends IllegalStateException {
    public Held(String message) {
      super(message);
    }
  }

  /**
   * Takes the lock of {@code stateDir} (creating the directory, mode 0700, if needed).
   *
   * @throws Held when another agent runs with this directory
   */
  public static StateLock acquire(Path stateDir) {
    try {
      if (!Files.isDirectory(stateDir)) {
        Files.createDirectories(
            stateDir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path file = stateDir.resolve(FILE);
      FileChannel ch =
          FileChannel.open(
              file, StandardOpenOption.CREATE, StandardOpenOption.READ, StandardOpenOption.WRITE);
      FileLock l = ch.tryLock();
      if (l == null) {
        ch.close();
        OptionalLong pid = holder(stateDir);
        throw new Held(
            "an agent already runs with the state directory "
                + stateDir
                + (pid.isPresent() ? " (pid " + pid.getAsLong() + ")" : "")
                + "; stop it first, or use another --state-dir");
      }
      ch.truncate(0);
      ch.write(
          ByteBuffer.wrap(
              (ProcessHandle.current().pid() + "\n").getBytes(StandardCharsets.US_ASCII)),
          0);
      ch.force(false);
      return new StateLock(ch, l);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot lock " + stateDir.resolve(FILE), e);
    }
  }

  /** The pid of the agent that holds the directory, when one does. */
  public static OptionalLong holder(Path stateDir) {
    Path file = stateDir.resolve(FILE);
    if (!Files.exists(file)) {
      return OptionalLong.empty();
    }
    try (FileChannel ch = FileChannel.open(file, StandardOpenOption.WRITE)) {
      FileLock probe = ch.tryLock();
      if (probe != null) {
        probe.release();
        return OptionalLong.empty();
      }
      String text = Files.readString(file, StandardCharsets.US_ASCII).strip();
      return text.matches("\\d{1,10}")
          ? OptionalLong.of(Long.parseLong(text))
          : OptionalLong.empty();
    } catch (IOException | java.nio.channels.OverlappingFileLockException e) {
      return OptionalLong.empty();
    }
  }

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the process is ending; the OS drops the lock anyway
    }
  }
}
