package dev.ocean.cli.base;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.Charset;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line as the caller's shell passed it. A JVM decodes its arguments in the locale's
 * codeset ({@code sun.jnu.encoding}); in the C or POSIX locale (cron, systemd, {@code env -i}) that
 * is ASCII, and every other byte arrives as U+FFFD, so {@code echo ü} would run as {@code echo ��}.
 * Such arguments are read again from {@code /proc/self/cmdline} as UTF-8, as a UTF-8 locale would
 * have decoded them; an argument that is no UTF-8 either is refused rather than sent damaged.
 */
public final class Argv {
  private static final char REPLACED = '\uFFFD';

  private Argv() {}

  /** An argument the JVM could not decode and no UTF-8 reading recovers. */
  public static final class Undecodable extends Exception {
    public Undecodable(String message) {
      super(message);
    }
  }

  /** {@code args} as typed: unchanged when the JVM decoded them whole, else recovered. */
  public static String[] recover(String[] args) throws Undecodable {
    return recover(args, System.getProperty("sun.jnu.encoding", ""), Path.of("/proc/self/cmdline"));
  }

  static String[] recover(String[] args, String jnuEncoding, Path cmdline) throws Undecodable {
    int first = firstDamaged(args);
    if (first < 0) {
      return args;
    }
    Charset jnu = charset(jnuEncoding);
    List<byte[]> raw = jnu == StandardCharsets.US_ASCII ? words(cmdline) : List.of();
    if (raw.size() < args.length) {
      throw undecodable(first, jnuEncoding);
    }
    String[] typed = args.clone();
    int offset = raw.size() - args.length;
    for (int i = 0; i < args.length; i++) {
      if (args[i].indexOf(REPLACED) < 0) {
        continue;
      }
      byte[] bytes = raw.get(offset + i);
      if (!new String(bytes, StandardCharsets.US_ASCII).equals(args[i])) {
        throw undecodable(i, jnuEncoding); // not the same argument: do not guess
      }
      try {
        typed[i] =
            StandardCharsets.UTF_8
                .newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT)
                .decode(ByteBuffer.wrap(bytes))
                .toString();
      } catch (CharacterCodingException e) {
        throw undecodable(i, jnuEncoding);
      }
    }
    return typed;
  }

  private static int firstDamaged(String[] args) {
    for (int i = 0; i < args.length; i++) {
      if (args[i].indexOf(REPLACED) >= 0) {
        return i;
      }
    }
    return -1;
  }

  private static Undecodable undecodable(int index, String encoding) {
    Charset named = charset(encoding);
    boolean utf8 =
        named == null
            || named.equals(StandardCharsets.UTF_8)
            || named.equals(StandardCharsets.US_ASCII);
    String what = utf8 ? "valid UTF-8" : "valid text in this locale's " + encoding;
    return new Undecodable(
        "argument "
            + (index + 1)
            + " is not "
            + what
            + "; Ocean keeps commands and names as text, so run it in the locale that argument"
            + " was written in (LANG=...) or convert it with iconv");
  }

  private static Charset charset(String name) {
    try {
      return Charset.forName(name);
    } catch (IllegalArgumentException e) {
      return null;
    }
  }

  private static List<byte[]> words(Path cmdline) {
    byte[] all;
    try {
      all = Files.readAllBytes(cmdline);
    } catch (IOException | UnsupportedOperationException e) {
      return List.of();
    }
    List<byte[]> words = new ArrayList<>();
    int start = 0;
    for (int i = 0; i < all.length; i++) {
      if (all[i] == 0) {
        words.add(java.util.Arrays.copyOfRange(all, start, i));
        start = i + 1;
      }
    }
    if (start < all.length) {
      words.add(java.util.Arrays.copyOfRange(all, start, all.length));
    }
    return words;
  }
}
