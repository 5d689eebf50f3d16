package dev.ocean.server.volume;

import dev.ocean.common.api.Volume;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.http.ApiException;
import dev.ocean.server.http.Check;
import dev.ocean.server.store.Constraints;
import dev.ocean.server.user.Principal;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/**
 * Personal volumes: a directory per volume under the shared storage root, at {@code
 * volumes/USER_ID/NAME} so every node that mounts the same storage sees the same files.
 */
public final class VolumeService {
  private static final Set<PosixFilePermission> OWNER_ONLY =
      PosixFilePermissions.fromString("rwx------");

  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final Path storageRoot;

  public VolumeService(Jdbi jdbi, Clock clock, AuditLog audit, Path storageRoot) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.storageRoot = storageRoot;
  }

  /** Where a volume lives, relative to the storage root every node mounts. */
  public static String relativePath(long userId, String name) {
    return "volumes/" + userId + "/" + name;
  }

  public Volume create(Principal p, Volume.Create req) {
    Check.required("name", req.name());
    Check.rule("name", Rules.resourceName("volume", req.name()));
    int size = Check.range("sizeGib", req.sizeGib(), 1, 100_000);
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
              createPrivateDirectory(dir);
            } catch (IOException e) {
              throw new UncheckedIOException("cannot create volume directory " + dir, e);
            }
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
   * A volume holds one user's files: its directory (and the user's directory above it) is owner
   * only, so nobody else on a node that mounts the storage can read it.
   */
  private static void createPrivateDirectory(Path dir) throws IOException {
    try {
      Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_ONLY));
      Files.setPosixFilePermissions(dir.getParent(), OWNER_ONLY);
      Files.setPosixFilePermissions(dir, OWNER_ONLY);
    } catch (UnsupportedOperationException e) {
      Files.createDirectories(dir);
    }
  }

  public List<Volume> list(Principal p) {
    return jdbi.withHandle(
        h ->
            h.createQuery(select() + " WHERE v.user_id = ? ORDER BY v.name")
                .bind(0, p.userId())
                .map((rs, ctx) -> map(rs))
                .list());
  }

  public void delete(Principal p, String name) {
    jdbi.useTransaction(
        h -> {
          Volume v =
              find(h, p.userId(), name)
                  .orElseThrow(() -> ApiException.notFound("you have no volume named " + name));
          Optional<String> holder =
              h.createQuery(
                      "SELECT c.kind || ' ' || c.ref FROM volume_claims c JOIN volumes v ON v.id ="
                          + " c.volume_id WHERE v.user_id = ? AND v.name = ?")
                  .bind(0, p.userId())
                  .bind(1, name)
                  .mapTo(String.class)
                  .findFirst();
          if (holder.isPresent()) {
            throw ApiException.conflict(
                "volume " + v.name() + " is in use by " + holder.get() + "; stop it first");
          }
          h.createUpdate("DELETE FROM volumes WHERE user_id = ? AND name = ?")
              .bind(0, p.userId())
              .bind(1, name)
              .execute();
          audit.record(h, p.email(), "volume.delete", "volume/" + name, null);
        });
    deleteTree(storageRoot.resolve(relativePath(p.userId(), name)));
  }

  /** The volume's id, or a 400 naming {@code field} when the user has no such volume. */
  public long requireOwn(Handle h, String field, long userId, String name) {
    return h.createQuery("SELECT id FROM volumes WHERE user_id = ? AND name = ?")
        .bind(0, userId)
        .bind(1, name)
        .mapTo(Long.class)
        .findOne()
        .orElseThrow(
            () -> ApiException.badRequest(field, "you have no volume named '" + name + "'"));
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

  private static ApiException nameTaken(String name) {
    return new ApiException(409, "Conflict", "you already have a volume named " + name, "name");
  }

  private static String select() {
    return "SELECT v.*, u.email AS owner_email, (SELECT COUNT(*) FROM volume_claims c WHERE"
        + " c.volume_id = v.id) AS claims FROM volumes v JOIN users u ON u.id = v.user_id";
  }

  private static Optional<Volume> find(Handle h, long userId, String name) {
    return h.createQuery(select() + " WHERE v.user_id = ? AND v.name = ?")
        .bind(0, userId)
        .bind(1, name)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  private static Volume map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Volume(
        rs.getString("name"),
        rs.getString("owner_email"),
        rs.getInt("size_gib"),
        rs.getInt("claims") > 0,
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }

  /** Deletes a volume's files without following symbolic links out of it. */
  private static void deleteTree(Path dir) {
    if (!Files.exists(dir, java.nio.file.LinkOption.NOFOLLOW_LINKS)) {
      return;
    }
    try {
      Files.walkFileTree(
          dir,
          new SimpleFileVisitor<>() {
            @Override
            public FileVisitResult visitFile(Path file, BasicFileAttributes attrs)
                throws IOException {
              Files.delete(file);
              return FileVisitResult.CONTINUE;
            }

            @Override
            public FileVisitResult postVisitDirectory(Path d, IOException e) throws IOException {
              Files.delete(d);
              return FileVisitResult.CONTINUE;
            }
          });
    } catch (IOException e) {
      throw new UncheckedIOException("volume deleted, but its files could not be removed", e);
    }
  }
}
