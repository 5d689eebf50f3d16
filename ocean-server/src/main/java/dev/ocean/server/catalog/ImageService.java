package dev.ocean.server.catalog;

import dev.ocean.common.api.Image;
import dev.ocean.common.validation.Rules;
import dev.ocean.server.audit.AuditLog;
import dev.ocean.server.error.Check;
import dev.ocean.server.error.Conflict;
import dev.ocean.server.error.Invalid;
import dev.ocean.server.error.NotFound;
import dev.ocean.server.store.Constraints;
import dev.ocean.server.user.Principal;
import java.time.Clock;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import org.jdbi.v3.core.Handle;
import org.jdbi.v3.core.Jdbi;

/** Registered images (container images, or the host itself): the only images users may run. */
public final class ImageService {
  private final Jdbi jdbi;
  private final Clock clock;
  private final AuditLog audit;
  private final CatalogUse use;
  private final Remembered<Image> remembered = new Remembered<>();

  public ImageService(Jdbi jdbi, Clock clock, AuditLog audit, CatalogUse use) {
    this.jdbi = jdbi;
    this.clock = clock;
    this.audit = audit;
    this.use = use;
  }

  public Image add(Principal admin, Image.Create req) {
    Check.required("name", req.name());
    Check.rule("name", Rules.imageName(req.name()));
    Check.required("reference", req.reference());
    Check.rule("reference", Rules.imageReference(req.reference()));
    Check.rule("reference", lowerCaseRepository(req.reference()));
    Check.rule("reference", digest(req.reference()));
    Check.maxLength("description", req.description(), 500);
    String kind = req.kind() != null ? req.kind() : defaultKind(req.reference());
    if (!kind.equals(Image.CONTAINER) && !kind.equals(Image.HOST)) {
      throw new Invalid("kind", "kind must be container or host, not '" + kind + "'");
    }
    try {
      return jdbi.inTransaction(
          h -> {
            if (find(h, req.name()).isPresent()) {
              throw nameTaken(req.name());
            }
            h.createUpdate(
                    "INSERT INTO images (name, reference, description, created_at, kind) VALUES"
                        + " (?, ?, ?, ?, ?)")
                .bind(0, req.name())
                .bind(1, req.reference())
                .bind(2, req.description())
                .bind(3, clock.millis())
                .bind(4, kind)
                .execute();
            remembered.forget();
            audit.record(h, admin.email(), "image.add", "image/" + req.name(), req.reference());
            return find(h, req.name()).orElseThrow();
          });
    } catch (RuntimeException e) {
      if (Constraints.isUniqueViolation(e)) {
        throw nameTaken(req.name());
      }
      throw e;
    }
  }

  /** Points an image at another reference or describes it anew; null fields keep their value. */
  public Image update(Principal admin, String name, Image.Create patch) {
    if (patch.reference() != null) {
      Check.rule("reference", Rules.imageReference(patch.reference()));
      Check.rule("reference", digest(patch.reference()));
      Check.rule("reference", lowerCaseRepository(patch.reference()));
    }
    Check.maxLength("description", patch.description(), 500);
    return jdbi.inTransaction(
        h -> {
          Image current = find(h, name).orElseThrow(() -> new NotFound("no image named " + name));
          String reference = patch.reference() != null ? patch.reference() : current.reference();
          String description =
              patch.description() != null ? patch.description() : current.description();
          h.createUpdate("UPDATE images SET reference = ?, description = ? WHERE name = ?")
              .bind(0, reference)
              .bind(1, description)
              .bind(2, name)
              .execute();
          remembered.forget();
          audit.record(h, admin.email(), "image.update", "image/" + name, reference);
          return find(h, name).orElseThrow();
        });
  }

  public List<Image> list() {
    return jdbi.withHandle(
        h -> h.createQuery("SELECT * FROM images ORDER BY name").map((rs, ctx) -> map(rs)).list());
  }

  /** The image, or a 404 naming {@code field} when it is not registered. */
  public Image require(Handle h, String field, String name) {
    Check.required(field, name);
    return remembered
        .get(name, () -> find(h, name))
        .orElseThrow(
            () -> new NotFound(field, "unknown image '" + name + "'; see `ocean image list`"));
  }

  public void remove(Principal admin, String name) {
    jdbi.useTransaction(
        h -> {
          if (find(h, name).isEmpty()) {
            throw new NotFound("no image named " + name);
          }
          use.refuseWhileUsed(h, CatalogUse.Kind.IMAGE, name);
          h.createUpdate("DELETE FROM images WHERE name = ?").bind(0, name).execute();
          remembered.forget();
          audit.record(h, admin.email(), "image.remove", "image/" + name, null);
        });
  }

  /**
   * Without an explicit kind, the quick start's {@code local/host} (or {@code host}) is the host.
   */
  /**
   * The OCI distribution spec allows only lower case in repository names (the registry host and the
   * tag may have capitals): {@code UPPER/Case:tag} is a reference no engine pulls (qa7 K9).
   */
  static Optional<String> lowerCaseRepository(String reference) {
    String path = reference.replaceFirst("@.*$", "").replaceFirst(":[^:/]*$", "");
    int slash = path.indexOf('/');
    String first = slash < 0 ? "" : path.substring(0, slash);
    if (first.contains(".") || first.contains(":") || first.equals("localhost")) {
      path = path.substring(slash + 1); // a registry host, as Docker tells one apart
    }
    return path.equals(path.toLowerCase(java.util.Locale.ROOT))
        ? Optional.empty()
        : Optional.of(
            "the repository name '"
                + path
                + "' has capitals; repository names are lower case (only a tag may have them)");
  }

  private static final java.util.regex.Pattern DIGEST =
      java.util.regex.Pattern.compile("sha256:[0-9a-f]{64}|sha512:[0-9a-f]{128}");

  /**
   * A digest is {@code sha256:} and 64 lower-case hex digits (or sha512 and 128): {@code
   * repo@sha256:abc} passed the pattern and failed only at pull time on a node, as a failed run
   * (qa11 T8).
   */
  static Optional<String> digest(String reference) {
    int at = reference.indexOf('@');
    if (at < 0) {
      return Optional.empty();
    }
    String digest = reference.substring(at + 1);
    return DIGEST.matcher(digest).matches()
        ? Optional.empty()
        : Optional.of(
            "the reference's digest '"
                + digest
                + "' is not sha256: and 64 lower-case hex digits (as `docker images --digests`"
                + " shows them)");
  }

  static String defaultKind(String reference) {
    return reference.equals("local/host") || reference.equals("host")
        ? Image.HOST
        : Image.CONTAINER;
  }

  private static Conflict nameTaken(String name) {
    return new Conflict("name", "image " + name + " already exists");
  }

  public static Optional<Image> find(Handle h, String name) {
    return h.createQuery("SELECT * FROM images WHERE name = ?")
        .bind(0, name)
        .map((rs, ctx) -> map(rs))
        .findOne();
  }

  private static Image map(java.sql.ResultSet rs) throws java.sql.SQLException {
    return new Image(
        rs.getString("name"),
        rs.getString("reference"),
        rs.getString("kind"),
        rs.getString("description"),
        Instant.ofEpochMilli(rs.getLong("created_at")));
  }
}
