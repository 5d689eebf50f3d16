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

/**
 * The Ocean-managed known-hosts file ({@code known_hosts} beside the CLI's config, owner-only): one
 * {@code [ADDRESS]:PORT KEY} line per instance endpoint, written from the host key the server
 * reports. The server is the authority: its report replaces a pinned line; ssh refuses any other.
 */
final class HostKeys {
  private final Path file;

  HostKeys(Path file) {
    this.file = file;
  }

  Path file() {
    return file;
  }

  /** Pins {@code hostKey} (type and key, comment dropped) for the endpoint, replacing its line. */
  void pin(String address, int port, String hostKey) {
    String host = "[" + address + "]:" + port;
    String[] parts = hostKey.strip().split("\\s+");
    if (parts.length < 2) {
      throw new CliException(ExitCodes.ERROR, "the server reported a malformed host key");
    }
    String line = host + " " + parts[0] + " " + parts[1];
    try {
      List<String> lines = new ArrayList<>();
      if (Files.exists(file)) {
        for (String l : Files.readAllLines(file, StandardCharsets.UTF_8)) {
          if (!l.startsWith(host + " ")) {
            lines.add(l);
          }
        }
      }
      lines.add(line);
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
