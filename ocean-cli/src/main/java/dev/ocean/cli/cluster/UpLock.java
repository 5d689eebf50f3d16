package dev.ocean.cli.cluster;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.files.PrivateFiles;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;

/**
 * One {@code ocean up} at a time per cluster: two started together would both find no server and
 * the second would fail to reach the server the first is starting (QA F38). The second waits for
 * the first, then finds the cluster up. The lock ({@code DATA/up.lock}) ends with the process.
 */
final class UpLock implements AutoCloseable {
  private final FileChannel channel;

  private UpLock(FileChannel channel) {
    this.channel = channel;
  }

  /**
   * Takes the lock of the cluster in {@code data}; runs {@code waiting} first if another holds it.
   */
  static UpLock take(Path data, Runnable waiting) {
    Path file = data.resolve("up.lock");
    try {
      PrivateFiles.directory(data);
      FileChannel ch =
          FileChannel.open(
              file,
              java.util.Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
              java.nio.file.attribute.PosixFilePermissions.asFileAttribute(
                  java.nio.file.attribute.PosixFilePermissions.fromString("rw-------")));
      try {
        FileLock lock = ch.tryLock();
        if (lock == null) {
          waiting.run();
          ch.lock();
        }
      } catch (OverlappingFileLockException e) {
        // this process holds it already (an in-process caller): nothing to wait for
      }
      return new UpLock(ch);
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot lock " + file + ": " + e.getMessage());
    }
  }

  @Override
  public void close() {
    try {
      channel.close(); // releases the lock
    } catch (IOException e) {
      // the lock goes with the process anyway
    }
  }
}
