package dev.ocean.server.catalog;

import dev.ocean.server.error.Conflict;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.CopyOnWriteArrayList;
import org.jdbi.v3.core.Handle;

/**
 * The one rule for taking an image or a machine type out of the catalogue: refused while active
 * work (a pending or running job) uses it; ended work keeps its history, since jobs copy what they
 * were admitted with. The packages that use the catalogue register how to find their active users.
 */
public final class CatalogUse {
  /** What of the catalogue is being removed. */
  public enum Kind {
    IMAGE("image"),
    MACHINE_TYPE("machine type");

    private final String label;

    Kind(String label) {
      this.label = label;
    }
  }

  /**
   * Finds one active user of a catalogue entry, described for a person with what frees the entry
   * (e.g. "job 7 (running); wait for it to end or cancel it first").
   */
  @FunctionalInterface
  public interface Users {
    Optional<String> activeUser(Handle h, Kind kind, String name);
  }

  private final List<Users> users = new CopyOnWriteArrayList<>();

  public void register(Users finder) {
    users.add(finder);
  }

  /** Throws a conflict naming the active user of {@code name}, if there is one. */
  void refuseWhileUsed(Handle h, Kind kind, String name) {
    for (Users u : users) {
      Optional<String> who = u.activeUser(h, kind, name);
      if (who.isPresent()) {
        throw new Conflict(kind.label + " " + name + " is used by " + who.get());
      }
    }
  }
}
