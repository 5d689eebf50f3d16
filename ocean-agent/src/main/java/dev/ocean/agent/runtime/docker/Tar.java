package dev.ocean.agent.runtime.docker;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;

/** Reads the first regular file of a tar stream, as the engine's archive endpoint sends it. */
final class Tar {
  private static final int BLOCK = 512;

  private Tar() {}

  /** The first regular file's content, or null when there is none or it exceeds {@code max}. */
  static String firstFile(InputStream in, int max) throws IOException {
    while (true) {
      byte[] header = in.readNBytes(BLOCK);
      if (header.length < BLOCK || header[0] == 0) {
        return null;
      }
      long size = parseOctal(header, 124, 12);
      byte type = header[156];
      if (type == '0' || type == 0) {
        if (size > max) {
          return null;
        }
        byte[] data = in.readNBytes((int) size);
        return new String(data, StandardCharsets.UTF_8);
      }
      long padded = (size + BLOCK - 1) / BLOCK * BLOCK;
      in.skipNBytes(padded);
    }
  }

  private static long parseOctal(byte[] b, int offset, int length) {
    long value = 0;
    for (int i = offset; i < offset + length; i++) {
      if (b[i] >= '0' && b[i] <= '7') {
        value = value * 8 + (b[i] - '0');
      } else if (value > 0 || (b[i] != ' ' && b[i] != 0)) {
        break;
      }
    }
    return value;
  }
}
