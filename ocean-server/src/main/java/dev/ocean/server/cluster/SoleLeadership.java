package dev.ocean.server.cluster;

import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.channels.OverlappingFileLockException;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.jdbi.v3.core.Handle;

/**
 * The leadership of a server on SQLite: one server per database file, which always leads. A lock
 * file beside the database, held for the server's life, refuses a second server on the same file
 * (two schedulers would hand out the same GPUs); the operating system drops the lock when the
 * process dies, however it dies.
 */
public final class SoleLeadership implements Leadership {
  private final FileChannel channel;
  private final FileLock lock;

  private SoleLeadership(FileChannel channel, FileLock lock) {
    this.channel = channel;
    this.lock = lock;
  }

  /**
   * Takes the lock of {@code databaseFile}.
   *
   * @throws IllegalStateException when another server holds it
   */
  public static SoleLeadership lock(Path databaseFile) throws IOException {
    Path file = databaseFile.resolveSibling(databaseFile.getFileName() + ".server-lock");
    FileChannel channel;
    try {
      channel =
          FileChannel.open(
              file,
              Set.of(StandardOpenOption.CREATE, StandardOpenOption.WRITE),
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
    } catch (UnsupportedOperationException e) {
      channel = FileChannel.open(file, StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    }
    FileLock lock;
    try {
      lock = channel.tryLock();
    } catch (OverlappingFileLockException e) {
      lock = null;
    }
    if (lock == null) {
      channel.close();
      throw new IllegalStateException(
          "another ocean-server already uses the database "
              + databaseFile
              + "; one SQLite database serves one server (use PostgreSQL, --db, for several)");
    }
    return new SoleLeadership(channel, lock);
  }

  @Override
  public boolean leading() {
    return true;
  }

  @Override
  public boolean confirm() {
    return true;
  }

  @Override
  public void fence(Handle h) {}

  @Override
  public void onLeading(Runnable action) {}

  @Override
  public void close() {
    try {
      lock.release();
      channel.close();
    } catch (IOException e) {
      // the process is ending or the file is gone: the lock goes with it
    }
  }
}
