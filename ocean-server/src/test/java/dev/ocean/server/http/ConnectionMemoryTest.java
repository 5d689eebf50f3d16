package dev.ocean.server.http;

import static org.junit.jupiter.api.Assertions.assertTrue;

import dev.ocean.server.store.TestStorage;
import dev.ocean.server.testing.ScriptedCluster;
import java.io.IOException;
import java.io.InputStream;
import java.lang.management.ManagementFactory;
import java.net.Socket;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import javax.management.ObjectName;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Thousands of agents keep connections open to one server: a connection that has carried a few
 * requests must not hold a per-connection header cache (Jetty's default, 96 KiB of char[] each),
 * which filled the 512 MiB heap at 6,000 connections and the server exited on OutOfMemoryError.
 * Real server on port 0, 300 real keep-alive connections with two requests each; the live char[] of
 * this JVM counted from its heap histogram.
 */
class ConnectionMemoryTest {
  private static final int CONNECTIONS = 300;

  @TempDir Path dir;

  @Test
  void connectionsThatCarriedRequestsHoldNoHeaderCache() throws Exception {
    try (var c = new ScriptedCluster(dir, TestStorage.SQLITE)) {
      int port = URI.create(c.server.url()).getPort();
      long before = liveCharArrayBytes();
      List<Socket> open = new ArrayList<>();
      try {
        for (int i = 0; i < CONNECTIONS; i++) {
          Socket s = new Socket("127.0.0.1", port);
          open.add(s);
          get(s);
          get(s); // the second request on a connection is the one that built the cache
        }
        long held = liveCharArrayBytes() - before;
        assertTrue(
            held < CONNECTIONS * 16L * 1024,
            "connections hold " + held / CONNECTIONS + " bytes of char[] each");
      } finally {
        for (Socket s : open) {
          s.close();
        }
      }
    }
  }

  /** One keep-alive GET of the health route on {@code s}, read to the end of its answer. */
  private static void get(Socket s) throws IOException {
    s.getOutputStream()
        .write(
            ("GET /api/v1/health HTTP/1.1\r\nHost: 127.0.0.1\r\nAccept: application/json\r\n"
                    + "User-Agent: ocean-agent/test\r\nAccept-Encoding: gzip\r\n\r\n")
                .getBytes(StandardCharsets.US_ASCII));
    s.getOutputStream().flush();
    InputStream in = s.getInputStream();
    StringBuilder head = new StringBuilder();
    while (!head.toString().endsWith("\r\n\r\n")) {
      int b = in.read();
      if (b < 0) {
        throw new IOException("closed: " + head);
      }
      head.append((char) b);
    }
    int length = 0;
    for (String line : head.toString().split("\r\n")) {
      if (line.toLowerCase(java.util.Locale.ROOT).startsWith("content-length:")) {
        length = Integer.parseInt(line.substring(15).trim());
      }
    }
    in.readNBytes(length);
  }

  /** Bytes of live char[] in this JVM (a full GC first), from the heap histogram. */
  private static long liveCharArrayBytes() throws Exception {
    String histogram =
        (String)
            ManagementFactory.getPlatformMBeanServer()
                .invoke(
                    new ObjectName("com.sun.management:type=DiagnosticCommand"),
                    "gcClassHistogram",
                    new Object[] {new String[0]},
                    new String[] {String[].class.getName()});
    for (String line : histogram.split("\n")) {
      String[] cols = line.trim().split("\\s+");
      if (cols.length >= 4 && cols[3].equals("[C")) {
        return Long.parseLong(cols[2]);
      }
    }
    return 0;
  }
}
