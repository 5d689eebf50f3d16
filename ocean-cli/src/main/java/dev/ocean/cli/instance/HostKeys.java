package dev.ocean.cli.instance;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.files.PrivateFiles;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The Ocean-managed known-hosts file ({@code known_hosts} beside the CLI's config, owner-only): one
 * {@code ALIAS KEY} line per instance ({@link #alias}), written from the host key the server
 * reports. The server is the authority: its report replaces a pinned line; ssh refuses any other.
 */
final class HostKeys {
  /** A line of an older CLI: {@code [ADDRESS]:PORT KEY}. */
  private static final Pattern OLD_ENDPOINT = Pattern.compile("\\[[^\\]]+\\]:[0-9]+ .+");

  private final Path file;

  HostKeys(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /**
   * The name an instance's key is pinned under ({@code ssh -o HostKeyAlias}): one per instance, so
   * the published port may change with every start without leaving stale lines behind.
   */
  static String alias(String name, String owner) {
    String who = owner == null ? "" : "." + owner.replaceAll("[^A-Za-z0-9._-]", "_");
    return "ocean-" + name + who;
  }

  /**
   * Pins {@code hostKey} (type and key, comment dropped) under {@code alias}, replacing its line;
   * lines an older CLI wrote per {@code [ADDRESS]:PORT} for the same key go too.
   */
  void pin(String alias, String hostKey) {
    String[] parts = hostKey.strip().split("\\s+");
    if (parts.length < 2) {
      throw new CliException(ExitCodes.ERROR, "the server reported a malformed host key");
    }
    String key = parts[0] + " " + parts[1];
    try {
      List<String> lines = new ArrayList<>();
      if (Files.exists(file)) {
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          boolean mine = l.startsWith(alias + " ");
          boolean oldEndpoint = OLD_ENDPOINT.matcher(l).matches() && l.endsWith(" " + key);
          if (!mine && !oldEndpoint) {
            lines.add(l);
          }
        }
      }
      lines.add(alias + " " + key);
      Files.createDirectories(file.getParent());
      PrivateFiles.write(file, (String.join("\n", lines) + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.ERROR, "cannot write the known-hosts file " + file + ": " + e.getMessage());
    }
  }

  /** {@code SHA256:…} as {@code ssh-keygen -l} prints it, or null when the line is not a key. */
  static String fingerprint(String hostKey) {
    if (hostKey == null) {
      return null;
    }
    String[] parts = hostKey.strip().split("\\s+");
    if (parts.length < 2) {
      return null;
    }
    try {
      byte[] blob = Base64.getDecoder().decode(parts[1]);
      byte[] digest = MessageDigest.getInstance("SHA-256").digest(blob);
      return parts[0] + " SHA256:" + Base64.getEncoder().withoutPadding().encodeToString(digest);
    } catch (IllegalArgumentException | NoSuchAlgorithmException e) {
      return null;
    }
  }
}
