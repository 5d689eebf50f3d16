package dev.ocean.server.dist;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import java.util.zip.GZIPOutputStream;

/**
 * Writes a tar.gz (POSIX ustar) of directory trees to a stream as it reads them, so a release is
 * served without a temporary file. Regular files and directories only; links are followed.
 */
final class TarGz {
  private static final int BLOCK = 512;

  private TarGz() {}

  /** Writes each of {@code roots} (relative to {@code base}) under the folder {@code top}. */
  static void write(OutputStream sink, Path base, String top, List<String> roots)
      throws IOException {
    GZIPOutputStream gz = new GZIPOutputStream(sink, 64 * 1024);
    long now = System.currentTimeMillis() / 1000;
    header(gz, top + "/", 0755, 0, '5', now);
    for (String root : roots) {
      Path start = base.resolve(root);
      if (!Files.exists(start)) {
        continue;
      }
      try (Stream<Path> walk = Files.walk(start)) {
        for (Path p : walk.sorted().toList()) {
          String name = top + "/" + base.relativize(p).toString().replace('\\', '/');
          if (Files.isDirectory(p)) {
            header(gz, name + "/", 0755, 0, '5', now);
          } else if (Files.isRegularFile(p)) {
            long size = Files.size(p);
            // the file's own time: the CLI's AOT cache is used only with jars of the same times
            long mtime = Files.getLastModifiedTime(p).toMillis() / 1000;
            header(
                gz, name, Files.isExecutable(p) || executable(p) ? 0755 : 0644, size, '0', mtime);
            long copied;
            try (InputStream in = Files.newInputStream(p)) {
              copied = in.transferTo(gz);
            }
            if (copied != size) {
              throw new IOException(p + " changed while it was being sent");
            }
            pad(gz, size);
          }
        }
      }
    }
    gz.write(new byte[2 * BLOCK]);
    gz.finish();
    gz.flush();
  }

  private static boolean executable(Path p) throws IOException {
    try {
      Set<PosixFilePermission> perms = Files.getPosixFilePermissions(p);
      return perms.contains(PosixFilePermission.OWNER_EXECUTE);
    } catch (UnsupportedOperationException e) {
      return false;
    }
  }

  private static void header(
      OutputStream out, String name, int mode, long size, char type, long mtime)
      throws IOException {
    byte[] h = new byte[BLOCK];
    byte[] full = name.getBytes(StandardCharsets.UTF_8);
    if (full.length <= 100) {
      System.arraycopy(full, 0, h, 0, full.length);
    } else {
      // ustar splits a long name at a slash into prefix (155) and name (100)
      int cut = name.lastIndexOf('/', name.length() - 2);
      while (cut > 0 && name.substring(cut + 1).getBytes(StandardCharsets.UTF_8).length > 100) {
        cut = -1;
      }
      byte[] prefix = cut > 0 ? name.substring(0, cut).getBytes(StandardCharsets.UTF_8) : null;
      if (prefix == null || prefix.length > 155) {
        throw new IOException("path too long for a tar header: " + name);
      }
      byte[] rest = name.substring(cut + 1).getBytes(StandardCharsets.UTF_8);
      System.arraycopy(rest, 0, h, 0, rest.length);
      System.arraycopy(prefix, 0, h, 345, prefix.length);
    }
    octal(h, 100, 8, mode);
    octal(h, 108, 8, 0);
    octal(h, 116, 8, 0);
    octal(h, 124, 12, size);
    octal(h, 136, 12, mtime);
    h[156] = (byte) type;
    System.arraycopy("ustar\u000000".getBytes(StandardCharsets.US_ASCII), 0, h, 257, 8);
    for (int i = 148; i < 156; i++) {
      h[i] = ' ';
    }
    long sum = 0;
    for (byte b : h) {
      sum += b & 0xff;
    }
    octal(h, 148, 7, sum);
    out.write(h);
  }

  /** Writes {@code value} as zero-padded octal digits ending in NUL, {@code len} bytes in all. */
  private static void octal(byte[] h, int at, int len, long value) {
    String digits = Long.toOctalString(value);
    String padded = "0".repeat(Math.max(0, len - 1 - digits.length())) + digits;
    byte[] b = padded.getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(b, 0, h, at, len - 1);
    h[at + len - 1] = 0;
  }

  private static void pad(OutputStream out, long size) throws IOException {
    int rest = (int) (size % BLOCK);
    if (rest != 0) {
      out.write(new byte[BLOCK - rest]);
    }
  }
}
