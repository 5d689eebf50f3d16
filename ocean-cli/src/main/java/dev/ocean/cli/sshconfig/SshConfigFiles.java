package dev.ocean.cli.sshconfig;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The SSH files {@code ocean ssh-config} keeps: one {@code Include ~/.ssh/ocean/config} line at the
 * top of {@code ~/.ssh/config}, and Ocean's own {@code ~/.ssh/ocean/config} (a {@code Host
 * ocean-NAME} block per instance, reached through {@code ocean instance proxy NAME}) and {@code
 * ~/.ssh/ocean/known_hosts} (the instances' pinned host keys). Paths inside are {@code ~}-relative,
 * so the files survive a moved home; private files are 0600.
 */
public final class SshConfigFiles {
  static final String INCLUDE = "Include ~/.ssh/ocean/config";

  /** Names written into the config: the server validates them, this keeps out anything else. */
  private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,62}");

  /** One OpenSSH public key: type, base64, nothing else. */
  private static final Pattern KEY = Pattern.compile("[a-z0-9@.-]{3,64} [A-Za-z0-9+/=]{16,8192}");

  /** An instance that has a host key. */
  public record Entry(String name, String hostKey) {}

  private final Path home;

  public SshConfigFiles(Path home) {
    this.home = home;
  }

  public Path userConfig() {
    return home.resolve(".ssh").resolve("config");
  }

  public Path oceanConfig() {
    return home.resolve(".ssh").resolve("ocean").resolve("config");
  }

  public Path knownHosts() {
    return home.resolve(".ssh").resolve("ocean").resolve("known_hosts");
  }

  /** Present when {@code ~/.ssh/config} did not exist before Ocean wrote its Include line. */
  private Path createdMark() {
    return home.resolve(".ssh").resolve("ocean").resolve("created-ssh-config");
  }

  /** The entries that are safe to write: a plain name and a well-formed key. */
  public static List<Entry> usable(List<Entry> entries) {
    List<Entry> out = new ArrayList<>();
    for (Entry e : entries) {
      String key = e.hostKey() == null ? null : keyOf(e.hostKey());
      if (e.name() != null && NAME.matcher(e.name()).matches() && key != null) {
        out.add(new Entry(e.name(), key));
      }
    }
    return out;
  }

  /** Ocean's config file: one block per entry, its ProxyCommand run with {@code launcher}. */
  public static String config(List<Entry> entries, String launcher) {
    StringBuilder b = new StringBuilder();
    b.append("# Written by `ocean ssh-config`; re-run it to refresh, `--remove` to undo.\n");
    for (Entry e : usable(entries)) {
      String host = "ocean-" + e.name();
      b.append("\nHost ").append(host).append('\n');
      b.append("  HostName ").append(host).append('\n');
      b.append("  User linuxbrew\n");
      b.append("  ProxyCommand ")
          .append(quote(launcher))
          .append(" instance proxy ")
          .append(e.name())
          .append('\n');
      b.append("  UserKnownHostsFile ~/.ssh/ocean/known_hosts\n");
      b.append("  StrictHostKeyChecking yes\n");
      b.append("  HostKeyAlias ").append(host).append('\n');
    }
    return b.toString();
  }

  /** The known-hosts file: {@code ocean-NAME KEY} per entry. */
  public static String knownHosts(List<Entry> entries) {
    StringBuilder b = new StringBuilder();
    for (Entry e : usable(entries)) {
      b.append("ocean-").append(e.name()).append(' ').append(e.hostKey()).append('\n');
    }
    return b.toString();
  }

  /**
   * Writes Ocean's two files and makes sure {@code ~/.ssh/config} starts by including them (once,
   * however often this runs).
   */
  public void write(List<Entry> entries, String launcher) throws IOException {
    Path dir = oceanConfig().getParent();
    privateDir(home.resolve(".ssh"));
    privateDir(dir);
    privateFile(oceanConfig(), config(entries, launcher));
    privateFile(knownHosts(), knownHosts(entries));
    Path user = userConfig();
    String existing = Files.exists(user) ? Files.readString(user) : null;
    if (existing == null) {
      privateFile(
          createdMark(), "ocean ssh-config created ~/.ssh/config; --remove deletes it if empty\n");
      privateFile(user, INCLUDE + "\n");
    } else if (existing.lines().noneMatch(l -> l.strip().equals(INCLUDE))) {
      // at the top: an Include inside a Host block would apply to that block only
      Files.writeString(user, INCLUDE + "\n\n" + existing, StandardCharsets.UTF_8);
    }
  }

  /** What {@link #remove} found to remove. */
  public enum Removed {
    NOTHING,
    ENTRIES,
    /** The entries and {@code ~/.ssh/config} itself, which Ocean had created. */
    FILE
  }

  /**
   * Removes the Include line and Ocean's files; the rest of {@code ~/.ssh/config} stays. The file
   * itself goes too when Ocean created it and nothing else was written into it since.
   */
  public Removed remove() throws IOException {
    Path user = userConfig();
    boolean found = Files.exists(oceanConfig()) || Files.exists(createdMark());
    boolean deletedFile = false;
    if (Files.exists(user)) {
      List<String> kept = new ArrayList<>();
      boolean skipBlank = false;
      for (String line : Files.readAllLines(user)) {
        if (line.strip().equals(INCLUDE)) {
          skipBlank = true;
          found = true;
          continue;
        }
        if (skipBlank && line.isBlank()) {
          skipBlank = false;
          continue;
        }
        skipBlank = false;
        kept.add(line);
      }
      if (Files.exists(createdMark()) && kept.stream().allMatch(String::isBlank)) {
        Files.delete(user);
        deletedFile = true;
      } else if (found) {
        Files.writeString(user, kept.isEmpty() ? "" : String.join("\n", kept) + "\n");
      }
    }
    Files.deleteIfExists(createdMark());
    Files.deleteIfExists(oceanConfig());
    Files.deleteIfExists(knownHosts());
    Files.deleteIfExists(oceanConfig().getParent());
    return deletedFile ? Removed.FILE : found ? Removed.ENTRIES : Removed.NOTHING;
  }

  private static String keyOf(String line) {
    String[] parts = line.strip().split("\\s+");
    if (parts.length < 2) {
      return null;
    }
    String key = parts[0] + " " + parts[1];
    return KEY.matcher(key).matches() ? key : null;
  }

  /**
   * Whether the known-hosts file pins {@code ocean-NAME} to a key other than {@code hostKey} (the
   * instance was created again since {@code ocean ssh-config} ran); false when it pins nothing.
   */
  public boolean pinsAnotherKey(String name, String hostKey) {
    String current = hostKey == null ? null : keyOf(hostKey);
    if (current == null || !Files.isRegularFile(knownHosts())) {
      return false;
    }
    try {
      for (String line : Files.readAllLines(knownHosts(), StandardCharsets.UTF_8)) {
        int space = line.indexOf(' ');
        if (space > 0 && line.substring(0, space).equals("ocean-" + name)) {
          return !current.equals(keyOf(line.substring(space + 1)));
        }
      }
    } catch (IOException e) {
      return false; // unreadable: ssh says what it thinks of it
    }
    return false;
  }

  /** The launcher as one ssh argument: quoted when it holds spaces. */
  static String quote(String launcher) {
    return launcher.matches("[A-Za-z0-9/._+-]+")
        ? launcher
        : "\"" + launcher.replace("\\", "\\\\").replace("\"", "\\\"") + "\"";
  }

  private static void privateDir(Path dir) throws IOException {
    if (!Files.isDirectory(dir)) {
      Files.createDirectories(dir);
      setMode(dir, "rwx------");
    }
  }

  private static void privateFile(Path file, String text) throws IOException {
    Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
    Files.deleteIfExists(tmp);
    Files.createFile(tmp);
    setMode(tmp, "rw-------");
    Files.writeString(tmp, text, StandardCharsets.UTF_8);
    Files.move(
        tmp,
        file,
        java.nio.file.StandardCopyOption.REPLACE_EXISTING,
        java.nio.file.StandardCopyOption.ATOMIC_MOVE);
  }

  private static void setMode(Path path, String mode) throws IOException {
    try {
      Files.setPosixFilePermissions(path, PosixFilePermissions.fromString(mode));
    } catch (UnsupportedOperationException e) {
      // not a POSIX file system: nothing stricter to ask for
    }
  }
}
