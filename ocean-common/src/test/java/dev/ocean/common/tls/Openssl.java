package dev.ocean.common.tls;

import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** Runs {@code openssl} to make test keys and certificates; tests skip when it is missing. */
public final class Openssl {
  private Openssl() {}

  /**
   * A self-signed certificate for 127.0.0.1 and localhost with a new key made by {@code -newkey
   * NEWKEY...}.
   */
  public static void selfSigned(Path cert, Path key, String... newKey) {
    List<String> argv = new ArrayList<>(List.of("req", "-x509", "-newkey"));
    argv.addAll(List.of(newKey));
    argv.addAll(
        List.of(
            "-nodes",
            "-days",
            "1",
            "-subj",
            "/CN=localhost",
            "-addext",
            "subjectAltName=IP:127.0.0.1,DNS:localhost",
            "-keyout",
            key.toString(),
            "-out",
            cert.toString()));
    run(argv.toArray(String[]::new));
  }

  /**
   * A certificate for 127.0.0.1 and localhost, with a new RSA key, signed by a new CA written to
   * {@code ca} (its key beside it), that expired a day before it was made: its validity ends before
   * it starts. (A trusted self-signed certificate is a trust anchor, whose dates Java never
   * checks.)
   */
  public static void expired(Path ca, Path cert, Path key) {
    Path caKey = ca.resolveSibling(ca.getFileName() + ".key");
    run(
        "req",
        "-x509",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-days",
        "2",
        "-subj",
        "/CN=test-ca",
        "-keyout",
        caKey.toString(),
        "-out",
        ca.toString());
    Path csr = cert.resolveSibling(cert.getFileName() + ".csr");
    run(
        "req",
        "-newkey",
        "rsa:2048",
        "-nodes",
        "-subj",
        "/CN=localhost",
        "-addext",
        "subjectAltName=IP:127.0.0.1,DNS:localhost",
        "-keyout",
        key.toString(),
        "-out",
        csr.toString());
    run(
        "x509",
        "-req",
        "-in",
        csr.toString(),
        "-CA",
        ca.toString(),
        "-CAkey",
        caKey.toString(),
        "-CAcreateserial",
        "-days",
        "-1",
        "-copy_extensions",
        "copy",
        "-out",
        cert.toString());
  }

  public static void run(String... args) {
    List<String> argv = new ArrayList<>(List.of("openssl"));
    argv.addAll(List.of(args));
    Process p;
    try {
      p = new ProcessBuilder(argv).redirectErrorStream(true).start();
    } catch (IOException e) {
      String ci = System.getenv("CI");
      if (ci != null && !ci.isBlank()) {
        throw new AssertionError("openssl is not on PATH; CI is set, so the TLS tests must run", e);
      }
      assumeTrue(false, "openssl is not on PATH, so the TLS tests are skipped");
      return;
    }
    try {
      String out = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      if (!p.waitFor(60, TimeUnit.SECONDS) || p.exitValue() != 0) {
        throw new AssertionError(String.join(" ", argv) + " failed: " + out);
      }
    } catch (IOException | InterruptedException e) {
      throw new AssertionError(String.join(" ", argv) + " failed", e);
    }
  }
}
