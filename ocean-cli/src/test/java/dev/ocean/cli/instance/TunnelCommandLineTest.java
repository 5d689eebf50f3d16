package dev.ocean.cli.instance;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import dev.ocean.cli.Cli;
import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.sshconfig.SshConfigFiles;
import java.io.ByteArrayInputStream;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What the tunnel commands say about bad input, before any connection is made. */
class TunnelCommandLineTest {
  @TempDir Path home;

  record Result(int code, String out, String err) {}

  private Result ocean(String... args) {
    StringWriter out = new StringWriter();
    StringWriter err = new StringWriter();
    CliContext ctx =
        new CliContext(
            Map.of(
                "HOME",
                home.toString(),
                "XDG_CONFIG_HOME",
                home.resolve(".config").toString(),
                "OCEAN_SERVER",
                "http://127.0.0.1:9",
                "OCEAN_TOKEN",
                "not-used"),
            new ByteArrayInputStream(new byte[0]),
            new PrintWriter(out),
            new PrintWriter(err),
            null,
            false);
    int code = Cli.run(ctx, args);
    return new Result(code, out.toString(), err.toString());
  }

  @Test
  void aKeyFileThatIsNotThereIsAUsageErrorNamingTheFlagAsTyped() {
    // refused before the server (nothing listens on port 9) is asked anything
    Result shortFlag = ocean("instance", "ssh", "box", "-i", "/nonexistent");
    assertEquals(2, shortFlag.code(), shortFlag.err());
    assertEquals("Error: -i /nonexistent is not a readable private key file.\n", shortFlag.err());
    Result longFlag = ocean("instance", "ssh", "box", "--identity", "/nonexistent");
    assertEquals(
        "Error: --identity /nonexistent is not a readable private key file.\n", longFlag.err());
  }

  @Test
  void aProxyPortOutOfRangeIsAUsageErrorNamingTheFlag() {
    Result r = ocean("instance", "proxy", "box", "--port", "70000");
    assertEquals(2, r.code());
    assertEquals("Error: --port: '70000' is not a port; use a number from 1 to 65535.\n", r.err());
  }

  @Test
  void aPortForwardSpecThatIsNoPortIsAUsageError() {
    Result r = ocean("instance", "port-forward", "box", "jupyter");
    assertEquals(2, r.code());
    assertEquals(
        "Error: [LOCAL:]REMOTE: 'jupyter' is not a port; use a number from 1 to 65535.\n", r.err());
  }

  @Test
  void sshConfigRemoveUndoesWhatItWrote() throws Exception {
    SshConfigFiles files = new SshConfigFiles(home);
    Files.createDirectories(files.userConfig().getParent());
    Files.writeString(files.userConfig(), "Host work\n  User me\n");
    files.write(
        List.of(new SshConfigFiles.Entry("box", "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAA")), "ocean");

    Result r = ocean("ssh-config", "--remove");

    assertEquals(0, r.code(), r.err());
    assertEquals("Removed Ocean's entries from " + files.userConfig() + ".\n", r.err());
    assertEquals("Host work\n  User me\n", Files.readString(files.userConfig()));
    assertFalse(Files.exists(files.oceanConfig()));
    assertEquals(2, ocean("ssh-config", "--print", "--remove").code());

    // a second time there is nothing left, and it says so (qa7 K12)
    Result again = ocean("ssh-config", "--remove");
    assertEquals(0, again.code(), again.err());
    assertEquals(
        "Nothing to remove: " + files.userConfig() + " has no Ocean entries.\n", again.err());
    assertEquals("Host work\n  User me\n", Files.readString(files.userConfig()));
  }
}
