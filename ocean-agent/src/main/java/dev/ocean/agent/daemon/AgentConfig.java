package dev.ocean.agent.daemon;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;

/**
 * The agent's identity and settings, kept in {@code agent.json} in the state directory. It holds
 * the node credential, so it is created with mode 0600 and never widened.
 *
 * @param runtime {@code docker} or {@code process}
 */
public record AgentConfig(
    String server,
    String nodeName,
    String credential,
    String runtime,
    String dockerHost,
    String storage,
    int heartbeatSeconds) {

  private static final ObjectMapper MAPPER = Json.newMapper();
  public static final String FILE = "agent.json";

  public static Optional<AgentConfig> load(Path stateDir) {
    Path f = stateDir.resolve(FILE);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readValue(f.toFile(), AgentConfig.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  public void save(Path stateDir) {
    writePrivate(stateDir, FILE, this);
  }

  /** Writes a JSON file readable only by its owner, atomically. */
  static void writePrivate(Path dir, String name, Object value) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      Path tmp =
          Files.createTempFile(
              dir,
              "." + name,
              ".tmp",
              PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
      Files.write(tmp, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(value));
      Files.move(
          tmp,
          dir.resolve(name),
          StandardCopyOption.REPLACE_EXISTING,
          StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }

  static <T> Optional<T> read(Path file, Class<T> type) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(MAPPER.readValue(file.toFile(), type));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
