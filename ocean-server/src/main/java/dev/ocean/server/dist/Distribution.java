package dev.ocean.server.dist;

import dev.ocean.server.error.NotFound;
import io.javalin.http.Context;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Serves Ocean itself, so a node without internet installs from its server: {@code GET /install.sh}
 * (the repository's script with this server's URL as its default) and {@code GET
 * /download/ocean.tar.gz} (this server's own installation, bin/, lib/ and its Java runtime/, packed
 * as it is sent).
 */
public final class Distribution {
  private static final String PREFIX = "ocean-release-";
  private static final String DEFAULT_LINE = "OCEAN_DEFAULT_SERVER=''";

  /** The packed release of each installation this process served (one, outside tests). */
  private static final Map<Path, Path> PACKED = new HashMap<>();

  private Distribution() {}

  public static void installScript(Context ctx) {
    String script;
    try (InputStream in = Distribution.class.getResourceAsStream("install.sh")) {
      if (in == null) {
        throw new NotFound("this server was built without install.sh");
      }
      script = new String(in.readAllBytes(), StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    script = script.replace(DEFAULT_LINE, "OCEAN_DEFAULT_SERVER='" + ServedUrl.of(ctx) + "'");
    // the script depends on who asked: no cache may hand one caller's copy to another
    ctx.header("Cache-Control", "no-store");
    ctx.header("Vary", "Host");
    ctx.contentType("text/x-shellscript; charset=utf-8").result(script);
  }

  public static void tarball(Context ctx) throws IOException {
    Path file = packed(installation());
    ctx.contentType("application/gzip");
    ctx.header("Content-Disposition", "attachment; filename=\"ocean.tar.gz\"");
    ctx.header("Content-Length", Long.toString(Files.size(file)));
    try (InputStream in = Files.newInputStream(file)) {
      in.transferTo(ctx.outputStream());
    }
  }

  /**
   * The release packed into a temporary file, once per installation: packing costs seconds of CPU
   * (about 100 MB through gzip), and anyone may ask for it, so no request packs it again. A release
   * does not change under a running server (an upgrade replaces it and restarts the server). The
   * file's name carries this process's pid, so a server that packs removes what servers killed
   * before they could delete theirs left behind.
   */
  private static Path packed(Path home) throws IOException {
    synchronized (PACKED) {
      Path file = PACKED.get(home);
      if (file != null && Files.isRegularFile(file)) {
        return file;
      }
      Path tmpDir = Path.of(System.getProperty("java.io.tmpdir"));
      removeStale(tmpDir);
      Path tmp =
          Files.createTempFile(tmpDir, PREFIX + ProcessHandle.current().pid() + "-", ".tar.gz");
      tmp.toFile().deleteOnExit();
      try (OutputStream out = Files.newOutputStream(tmp)) {
        TarGz.write(out, home, "ocean", List.of("bin", "lib", "runtime", "install.sh"));
      } catch (IOException | RuntimeException e) {
        Files.deleteIfExists(tmp);
        throw e;
      }
      PACKED.put(home, tmp);
      return tmp;
    }
  }

  /** Deletes the packed releases in {@code tmpDir} of server processes that no longer run. */
  static void removeStale(Path tmpDir) {
    Pattern name = Pattern.compile(Pattern.quote(PREFIX) + "([0-9]+)-.*\\.tar\\.gz");
    try (DirectoryStream<Path> files = Files.newDirectoryStream(tmpDir, PREFIX + "*")) {
      for (Path f : files) {
        Matcher m = name.matcher(f.getFileName().toString());
        if (m.matches()
            && ProcessHandle.of(Long.parseLong(m.group(1))).filter(ProcessHandle::isAlive).isEmpty()
            && Files.isWritable(f.getParent())) {
          Files.deleteIfExists(f);
        }
      }
    } catch (IOException | NumberFormatException e) {
      // another user's file, or a vanished one: not this server's to clean
    }
  }

  /** The release this server runs from: the folder above the launcher's bin/. */
  private static Path installation() {
    String launcher = System.getProperty("ocean.launcher");
    if (launcher != null) {
      Path home = Path.of(launcher).toAbsolutePath().getParent().getParent();
      if (home != null
          && Files.isDirectory(home.resolve("bin"))
          && Files.isDirectory(home.resolve("lib"))) {
        return home;
      }
    }
    throw new NotFound("this server does not run from a release, so it has no tarball to serve");
  }
}
