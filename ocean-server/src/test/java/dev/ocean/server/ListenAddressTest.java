package dev.ocean.server;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import picocli.CommandLine;

/** A --host the machine does not have is named as such, before anything is created. */
class ListenAddressTest {
  @TempDir Path dir;

  @Test
  void onlyThisMachinesAddressesAreAccepted() {
    assertTrue(Main.localAddress("127.0.0.1"));
    assertTrue(Main.localAddress("0.0.0.0"));
    assertTrue(Main.localAddress("::1"));
    assertFalse(Main.localAddress("not an addr"));
    assertFalse(Main.localAddress("192.0.2.1"), "TEST-NET-1 is nobody's local address");
  }

  @Test
  void aForeignHostIsAUsageErrorThatCreatesNothing() {
    Path data = dir.resolve("data");
    StringWriter err = new StringWriter();
    CommandLine cmd = new CommandLine(new Main());
    cmd.setErr(new PrintWriter(err));
    int code = cmd.execute("--host", "192.0.2.1", "--port", "0", "--data", data.toString());
    assertEquals(2, code);
    assertTrue(
        err.toString().contains("--host '192.0.2.1' is not an address of this machine"),
        err.toString());
    assertFalse(Files.exists(data), "nothing created");
  }
}
