package dev.ocean.server.volume;

import java.io.IOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.LinkOption;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;
import org.jdbi.v3.core.Jdbi;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * How many bytes each volume's files take, measured by walking its directory on a background thread
 * and cached, so listing volumes never walks a tree. Sizes are apparent file sizes (what {@code du
 * --apparent-size} counts); symbolic links are counted, never followed. This is a soft check: a
 * hard limit needs filesystem project quotas (XFS or ext4 {@code prjquota}).
 */
public final class VolumeUsage implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(VolumeUsage.class);

  /** How often every volume is measured again. */
  public static final Duration REFRESH = Duration.ofMinutes(1);

  private final Jdbi jdbi;
  private final Path storageRoot;
  private final Map<String, Long> used = new ConcurrentHashMap<>();
  private ScheduledExecutorService timer;

  public VolumeUsage(Jdbi jdbi, Path storageRoot) {
    this.jdbi = jdbi;
    this.storageRoot = storageRoot;
  }

  /** Measures now and then every {@code every}, on its own thread. */
  public VolumeUsage start(Duration every) {
    timer =
        Executors.newSingleThreadScheduledExecutor(
            Thread.ofPlatform().name("ocean-volume-usage").daemon(true).factory());
    timer.scheduleWithFixedDelay(this::refreshQuietly, 0, every.toMillis(), TimeUnit.MILLISECONDS);
    return this;
  }

  /** Bytes used by the volume, as of its last measurement; null before the first one. */
  public Long usedBytes(long userId, String name) {
    return used.get(VolumeService.relativePath(userId, name));
  }

  /** A volume just created holds nothing yet. */
  void created(long userId, String name) {
    used.put(VolumeService.relativePath(userId, name), 0L);
  }

  void deleted(long userId, String name) {
    used.remove(VolumeService.relativePath(userId, name));
  }

  /**
   * Measures every volume now, on the calling thread. Entries of deleted volumes are dropped by
   * {@link #deleted}, not here: a volume created during the walk would otherwise lose its entry.
   */
  public synchronized void refresh() {
    List<String> paths =
        jdbi.withHandle(
            h ->
                h.createQuery("SELECT user_id, name FROM volumes")
                    .map(
                        (rs, ctx) ->
                            VolumeService.relativePath(rs.getLong("user_id"), rs.getString("name")))
                    .list());
    for (String path : paths) {
      used.put(path, measure(storageRoot.resolve(path)));
    }
  }

  private void refreshQuietly() {
    try {
      refresh();
    } catch (RuntimeException e) {
      LOG.warn("measuring volume usage failed; will retry", e);
    }
  }

  /** The apparent size of every file under {@code dir}; files that vanish mid-walk count 0. */
  static long measure(Path dir) {
    if (!Files.isDirectory(dir, LinkOption.NOFOLLOW_LINKS)) {
      return 0;
    }
    AtomicLong total = new AtomicLong();
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs) {
              total.addAndGet(attrs.size());
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult visitFileFailed(Path file, IOException e) {
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      LOG.warn("cannot measure volume {}: {}", dir, e.toString());
    }
    return total.get();
  }

  @Override
  public void close() {
    if (timer != null) {
      timer.shutdownNow();
    }
  }
}
