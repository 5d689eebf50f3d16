package dev.ocean.server.volume;

import dev.ocean.common.api.Volume;
import dev.ocean.common.files.FileTrees;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.store.Constraints;
import dev.ocean.server.user.Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Personal volumes: a directory per volume under the shared storage root, at {@code
 * volumes/USER_ID/NAME} so every node that mounts the same storage sees the same files.
 */
public final class VolumeService {
  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final Path storageRoot;
  private final VolumeUsage usage;

  /** The sizes a volume may have, at create and resize. Sizes count against no quota. */
  static final int MIN_GIB = 1;

  static final int MAX_GIB = 100_000;

  public VolumeService(Jdbi jdbi, Clock clock, AuditLog audit, Path storageRoot) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.storageRoot = storageRoot;
    this.usage = new VolumeUsage(jdbi, storageRoot);
  }

  /** The cached measurements of what each volume's files take. */
  public VolumeUsage usage() {
    return usage;
  }

  /** Where a volume lives, relative to the storage root every node mounts. */
  public static String relativePath(long userId, String name) {
    return "volumes/" + userId + "/" + name;
  }

  public Volume create(Principal p, Volume.Create req) {
    Check.required("name", req.name());
    Check.rule("name", Rules.resourceName("volume", req.name()));
    int size = Check.range("sizeGib", req.sizeGib(), MIN_GIB, MAX_GIB);
    Path dir = storageRoot.resolve(relativePath(p.userId(), req.name()));
    try {
      return jdbi.inTransaction(
          h -> {
            if (find(h, p.userId(), req.name()).isPresent()) {
              throw nameTaken(req.name());
            }
            h.createUpdate(
                    "INSERT INTO volumes (user_id, name, size_gib, created_at) VALUES (?, ?, ?, ?)")
                .bind(0, p.userId())
                .bind(1, req.name())
                .bind(2, size)
                .bind(3, clock.millis())
                .execute();
            audit.record(h, p.email(), "volume.create", "volume/" + req.name(), size + " GiB");
            try {
              VolumeFolders.createPrivateDirectory(dir);
            } catch (IOException e) {
              throw new UncheckedIOException("cannot create volume directory " + dir, e);
            }
            usage.created(p.userId(), req.name());
            return find(h, p.userId(), req.name()).orElseThrow();
          });
    } catch (RuntimeException e) {
      if (Constraints.isUniqueViolation(e)) {
        throw nameTaken(req.name());
      }
      throw e;
    }
  }

  /**
   * Gives the caller's volume a new size. Growing always works (sizes count against nothing);
   * shrinking below what its files took at the last measurement is refused with that figure.
   */
  public Volume resize(Principal p, String name, Volume.Resize req) {
    return jdbi.inTransaction(
        h -> {
          Volume v =
              find(h, p.userId(), name)
                  .orElseThrow(() -> new NotFound("you have no volume named " + name));
          int size = Check.range("sizeGib", req.sizeGib(), MIN_GIB, MAX_GIB);
          long limit = (long) size << 30;
          if (v.usedBytes() != null && v.usedBytes() > limit) {
            throw new Conflict(
                "sizeGib",
                "volume "
                    + name
                    + " uses "
                    + gib(v.usedBytes())
                    + ", more than "
                    + size
                    + " GiB; free space on it first or give it a size of at least "
                    + atLeast(v.usedBytes())
                    + " GiB");
          }
          h.createUpdate("UPDATE volumes SET size_gib = ? WHERE user_id = ? AND name = ?")
              .bind(0, size)
              .bind(1, p.userId())
              .bind(2, name)
              .execute();
          audit.record(
              h,
              p.email(),
              "volume.resize",
              "volume/" + name,
              v.sizeGib() + " GiB -> " + size + " GiB");
          return find(h, p.userId(), name).orElseThrow();
        });
  }

  /** The smallest whole GiB size that holds {@code bytes}. */
  static long atLeast(long bytes) {
    return Math.max(MIN_GIB, (bytes + (1L << 30) - 1) >> 30);
  }

  public List<Volume> list(Principal p) {
    return jdbi.withHandle(
        h ->
            h.createQuery(select() + " WHERE v.user_id = ? ORDER BY v.name")
                .bind(0, p.userId())
                .map((rs, ctx) -> map(rs))
                .list());
  }

  public Volume get(Principal p, String name) {
    return jdbi.withHandle(
        h ->
            find(h, p.userId(), name)
                .orElseThrow(() -> new NotFound("you have no volume named " + name)));
  }

  /**
   * Refuses new work on a volume whose files already take more than its size (as last measured).
   * The limit is soft: running work can still write past it, only new work is turned away.
   */
  public void requireRoom(Handle h, String field, long userId, String name) {
    Volume v = find(h, userId, name).orElseThrow(() -> new NotFound(field, "no volume " + name));
    long limit = (long) v.sizeGib() << 30;
    if (v.usedBytes() != null && v.usedBytes() > limit) {
      throw new Conflict(
          field,
          "volume "
              + name
              + " is over its "
              + gib(limit)
              + " size ("
              + gib(v.usedBytes())
              + " used); free space on it, or `ocean volume resize "
              + name
              + " --size "
              + atLeast(v.usedBytes())
              + "`, then submit again");
    }
  }

  /**
   * Bytes as GiB with at most one decimal: {@code 1 GiB}, {@code 1.5 GiB}; a little over a whole
   * GiB reads {@code 1.1 GiB}, so a volume just over its size never reads as using exactly it.
   */
  static String gib(long bytes) {
    long tenths = Math.round(bytes * 10 / (double) (1L << 30));
    if (tenths % 10 == 0 && bytes > (tenths << 30) / 10) {
      tenths++;
    }
    String s = String.format(java.util.Locale.ROOT, "%.1f", tenths / 10.0);
    return (s.endsWith(".0") ? s.substring(0, s.length() - 2) : s) + " GiB";
  }

  public void delete(Principal p, String name) {
    jdbi.useTransaction(
        h -> {
          Volume v =
              find(h, p.userId(), name)
                  .orElseThrow(() -> new NotFound("you have no volume named " + name));
          long id = requireOwn(h, "name", p.userId(), name);
          // Active work claims the volume; ended work only remembers it (by name) in its history.
          Optional<String> holder =
              h.createQuery("SELECT kind, ref FROM volume_claims WHERE volume_id = ? ORDER BY ref")
                  .bind(0, id)
                  .map((rs, ctx) -> holder(h, rs.getString("kind"), rs.getString("ref")))
                  .findFirst();
          if (holder.isPresent()) {
            throw new Conflict("volume " + v.name() + " is in use by " + holder.get());
          }
          h.createUpdate("UPDATE jobs SET volume_id = NULL WHERE volume_id = ?")
              .bind(0, id)
              .execute();
          h.createUpdate("DELETE FROM volumes WHERE id = ?").bind(0, id).execute();
          audit.record(h, p.email(), "volume.delete", "volume/" + name, null);
        });
    usage.deleted(p.userId(), name);
    deleteTree(storageRoot.resolve(relativePath(p.userId(), name)));
  }

  /**
   * Who holds a volume, as its owner knows it, and what frees it: an instance by its name (it holds
   * the volume until it is deleted), a job by its id.
   */
  private static String holder(Handle h, String kind, String ref) {
    String id = ref.replaceFirst("^" + kind + "/", "");
    if (kind.equals("instance")) {
      String name =
          h.createQuery("SELECT name FROM instances WHERE id = ?")
              .bind(0, Long.parseLong(id))
              .mapTo(String.class)
              .findOne()
              .orElse(id);
      return "instance "
          + name
          + "; delete the instance first (`ocean instance delete "
          + name
          + "`; the volume stays), then the volume";
    }
    return kind
        + " "
        + id
        + "; cancel it (`ocean job cancel "
        + id
        + "`) or wait for it to end, then delete the volume";
  }

  /** The volume's id, or a 404 naming {@code field} when the user has no such volume. */
  public long requireOwn(Handle h, String field, long userId, String name) {
    return h.createQuery("SELECT id FROM volumes WHERE user_id = ? AND name = ?")
        .bind(0, userId)
        .bind(1, name)
        .mapTo(Long.class)
        .findOne()
        .orElseThrow(() -> new NotFound(field, "you have no volume named " + name));
  }

  public void claim(Handle h, long volumeId, String kind, String ref) {
    h.createUpdate("INSERT INTO volume_claims (volume_id, kind, ref) VALUES (?, ?, ?)")
        .bind(0, volumeId)
        .bind(1, kind)
        .bind(2, ref)
        .execute();
  }

  public void unclaim(Handle h, String kind, String ref) {
    h.createUpdate("DELETE FROM volume_claims WHERE kind = ? AND ref = ?")
        .bind(0, kind)
        .bind(1, ref)
        .execute();
  }

  private static Conflict nameTaken(String name) {
    return new Conflict("name", "you already have a volume named " + name);
  }

  private static String select() {
    return "SELECT v.*, u.email AS owner_email, (SELECT COUNT(*) FROM volume_claims c WHERE"
        + " c.volume_id = v.id) AS claims FROM volumes v JOIN users u ON u.id = v.user_id";
  }

  private Optional<Volume> find(Handle h, long userId, String name) {
    return h.createQuery(select() + " WHERE v.user_id = ? AND v.name = ?")
        .bind(0, userId)
        .bind(1, name)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  private Volume map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Volume(
        rs.getString("name"),
        rs.getString("owner_email"),
        rs.getInt("size_gib"),
        rs.getInt("claims") > 0,
        Instant.ofEpochMilli(rs.getLong("created_at")),
        usage.usedBytes(rs.getLong("user_id"), rs.getString("name")));
  }

  /** Deletes a volume's files without following symbolic links out of it. */
  private static void deleteTree(Path dir) {
    try {
      FileTrees.delete(dir);
    } catch (IOException e) {
      throw new UncheckedIOException("volume deleted, but its files could not be removed", e);
    }
  }
}
