package dev.ocean.agent.daemon;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/**
 * Where {@code ocean-agent join} takes its join token from. A token on the command line shows in
 * {@code ps} to every user of the machine, so a file ({@code --token-file}), standard input ({@code
 * --token -}) or the environment ({@code OCEAN_JOIN_TOKEN}) are the safer ways.
 */
public final class JoinTokenSource {
  public static final String ENV = "OCEAN_JOIN_TOKEN";

  private JoinTokenSource() {}

  /**
   * The token from exactly one source: {@code --token} (where {@code -} means standard input),
   * {@code --token-file}, else the environment.
   *
   * @throws IllegalArgumentException with one sentence naming the flag, when none or two are given
   *     or the source is empty or unreadable
   */
  public static String resolve(String flag, Path file, Map<String, String> env, InputStream stdin) {
    if (flag != null && file != null) {
      throw new IllegalArgumentException(
          "give the join token with --token or --token-file, not both");
    }
    if (file != null) {
      String token;
      try {
        token = Files.readString(file, StandardCharsets.UTF_8).strip();
      } catch (IOException e) {
        // NoSuchFileException's message is the path alone: say what is wrong with it instead
        throw new IllegalArgumentException(
            "cannot read --token-file "
                + file
                + ": "
                + (e instanceof java.nio.file.NoSuchFileException
                    ? "no such file"
                    : e instanceof java.nio.file.AccessDeniedException
                        ? "permission denied"
                        : e.getMessage()));
      }
      return nonEmpty(token, "--token-file " + file + " is empty");
    }
    if ("-".equals(flag)) {
      try {
        String all = new String(stdin.readAllBytes(), StandardCharsets.UTF_8);
        return nonEmpty(
            all.lines().findFirst().orElse("").strip(),
            "--token - found no token on standard input");
      } catch (IOException e) {
        throw new IllegalArgumentException("cannot read the join token from standard input");
      }
    }
    if (flag != null) {
      return nonEmpty(flag.strip(), "--token is empty");
    }
    String fromEnv = env.get(ENV);
    if (fromEnv != null && !fromEnv.isBlank()) {
      return fromEnv.strip();
    }
    throw new IllegalArgumentException(
        "a join token is needed: --token-file FILE, --token - (standard input) or "
            + ENV
            + "; get one with `ocean admin node token`");
  }

  private static String nonEmpty(String token, String problem) {
    if (token.isEmpty()) {
      throw new IllegalArgumentException(problem);
    }
    return token;
  }
}
