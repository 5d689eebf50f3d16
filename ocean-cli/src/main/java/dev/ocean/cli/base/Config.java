package dev.ocean.cli.base;

import com.fasterxml.jackson.databind.ObjectMapper;
import dev.ocean.common.files.PrivateFiles;
import dev.ocean.common.json.Json;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CLI's saved login ({@code $XDG_CONFIG_HOME/ocean/config.json}); it holds a token, so it is
 * written with mode 0600 from the start, never widened.
 */
public final class Config {
  /**
   * What is saved: the server, the token and the email it belongs to, and the extra CA certificate
   * file to trust (null when the system's CAs suffice; files written before it existed lack it).
   */
  public record Saved(String server, String token, String email, String caCert) {}

  private static final ObjectMapper MAPPER = Json.newMapper();
  private final Path file;

  public Config(Path file) {
    this.file = file;
  }

  public static Config locate(CliContext ctx) {
    String xdg = ctx.env("XDG_CONFIG_HOME");
    Path base =
        xdg != null
            ? ctx.path(xdg)
            : Path.of(
                ctx.env("HOME") != null ? ctx.env("HOME") : System.getProperty("user.home"),
                ".config");
    return new Config(base.resolve("ocean").resolve("config.json"));
  }

  public Path file() {
    return file;
  }

  public Saved load() {
    if (!Files.exists(file)) {
      return new Saved(null, null, null, null);
    }
    try {
      return MAPPER.readValue(file.toFile(), Saved.class);
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot read " + file + ": " + e.getMessage());
    }
  }

  public void save(Saved saved) {
    try {
      PrivateFiles.directory(file.getParent());
      PrivateFiles.write(file, MAPPER.writerWithDefaultPrettyPrinter().writeValueAsBytes(saved));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + file, e);
    }
  }
}
