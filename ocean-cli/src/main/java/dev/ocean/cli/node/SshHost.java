package dev.ocean.cli.node;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.ConnectException;
import java.net.UnknownHostException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.sftp.FileAttributes;
import net.schmizz.sshj.sftp.OpenMode;
import net.schmizz.sshj.sftp.RemoteFile;
import net.schmizz.sshj.sftp.SFTPClient;
import net.schmizz.sshj.transport.TransportException;
import net.schmizz.sshj.userauth.UserAuthException;
import net.schmizz.sshj.userauth.keyprovider.KeyProvider;

/**
 * One SSH connection to a host that {@code ocean node add} installs on: commands with their output,
 * and file uploads. Every failure becomes one sentence naming the host.
 */
final class SshHost implements AutoCloseable {
  /** What a remote command printed and returned. */
  record Result(int exit, String out, String err) {
    String firstErrorLine() {
      String text = err.isBlank() ? out : err;
      return text.lines().filter(l -> !l.isBlank()).reduce((a, b) -> b).orElse("").strip();
    }
  }

  private static final List<String> DEFAULT_KEYS = List.of("id_ed25519", "id_rsa", "id_ecdsa");

  private final SSHClient ssh;
  final String target;

  private SshHost(SSHClient ssh, String target) {
    this.ssh = ssh;
    this.target = target;
  }

  /**
   * Connects and logs in with {@code identity} or, when it is null, the default keys in {@code
   * home/.ssh}; the host key is checked against {@code home/.ssh/known_hosts}.
   */
  static SshHost connect(
      String user, String host, int port, Path identity, Path home, boolean acceptNewHostKey) {
    String target = user + "@" + host + (port == 22 ? "" : ":" + port);
    SSHClient ssh = new SSHClient();
    ssh.setConnectTimeout(15_000);
    ssh.setTimeout(60_000);
    try {
      HostKeys keys =
          new HostKeys(home.resolve(".ssh").resolve("known_hosts"), acceptNewHostKey, target);
      ssh.addHostKeyVerifier(keys);
      try {
        ssh.connect(host, port);
      } catch (TransportException e) {
        if (keys.refusal() != null) {
          throw new CliException(ExitCodes.FORBIDDEN, keys.refusal());
        }
        throw new CliException(
            ExitCodes.ERROR, "cannot talk SSH to " + target + ": " + e.getMessage());
      } catch (UnknownHostException e) {
        throw new CliException(ExitCodes.ERROR, "unknown host " + host);
      } catch (ConnectException e) {
        throw new CliException(
            ExitCodes.ERROR, "cannot connect to " + host + " port " + port + ": " + e.getMessage());
      }
      ssh.authPublickey(user, keyProviders(ssh, identity, home));
      return new SshHost(ssh, target);
    } catch (UserAuthException e) {
      closeQuietly(ssh);
      throw new CliException(
          ExitCodes.FORBIDDEN,
          "SSH login to "
              + target
              + " failed: the server did not accept "
              + (identity != null
                  ? "the key in --identity " + identity
                  : "the keys in " + home.resolve(".ssh"))
              + "; pass the right key with --identity FILE");
    } catch (CliException e) {
      closeQuietly(ssh);
      throw e;
    } catch (IOException e) {
      closeQuietly(ssh);
      throw new CliException(ExitCodes.ERROR, "SSH to " + target + " failed: " + e.getMessage());
    }
  }

  private static List<KeyProvider> keyProviders(SSHClient ssh, Path identity, Path home) {
    List<KeyProvider> keys = new ArrayList<>();
    if (identity != null) {
      if (!Files.isReadable(identity)) {
        throw new CliException(
            ExitCodes.USAGE, "--identity " + identity + " is not a readable key file");
      }
      keys.add(load(ssh, identity, "--identity " + identity));
      return keys;
    }
    for (String name : DEFAULT_KEYS) {
      Path key = home.resolve(".ssh").resolve(name);
      if (Files.isReadable(key)) {
        keys.add(load(ssh, key, key.toString()));
      }
    }
    if (keys.isEmpty()) {
      throw new CliException(
          ExitCodes.USAGE,
          "no SSH key found in "
              + home.resolve(".ssh")
              + " (id_ed25519, id_rsa, id_ecdsa); pass one with --identity FILE");
    }
    return keys;
  }

  private static KeyProvider load(SSHClient ssh, Path key, String what) {
    try {
      KeyProvider provider = ssh.loadKeys(key.toString());
      provider.getPublic(); // fails now, with a clear message, for encrypted or broken keys
      return provider;
    } catch (IOException | RuntimeException e) {
      throw new CliException(
          ExitCodes.USAGE,
          what
              + " cannot be read as an unencrypted SSH private key ("
              + e.getMessage()
              + "); keys with a passphrase are not supported");
    }
  }

  /** Runs {@code command} through the login shell, feeding it {@code stdin} when not null. */
  Result exec(String command, String stdin) {
    try (Session session = ssh.startSession()) {
      Session.Command cmd = session.exec(command);
      if (stdin != null) {
        OutputStream in = cmd.getOutputStream();
        in.write(stdin.getBytes(StandardCharsets.UTF_8));
        in.flush();
        in.close();
      }
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread errReader = Thread.ofVirtual().start(() -> copy(cmd.getErrorStream(), err));
      String out = new String(cmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
      errReader.join();
      cmd.join(60, TimeUnit.SECONDS);
      Integer exit = cmd.getExitStatus();
      return new Result(exit == null ? -1 : exit, out, err.toString(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "SSH to " + target + " failed: " + e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.ERROR, "interrupted while talking to " + target);
    }
  }

  /** Runs {@code script} with {@code sh -s}, after {@code sudo} when not empty, on quoted args. */
  Result script(String sudo, String script, String... args) {
    StringBuilder cmd = new StringBuilder(sudo).append("sh -s --");
    for (String a : args) {
      cmd.append(' ').append(q(a));
    }
    return exec(cmd.toString(), script);
  }

  /** Runs a script that prints KEY=VALUE lines; fails naming {@code what} when it fails. */
  Map<String, String> values(String sudo, String script, String what, String... args) {
    Result r = script(sudo, script, args);
    if (r.exit() != 0) {
      throw new CliException(
          ExitCodes.ERROR, "the " + what + " on " + target + " failed: " + r.firstErrorLine());
    }
    Map<String, String> m = new HashMap<>();
    r.out()
        .lines()
        .forEach(
            l -> {
              int eq = l.indexOf('=');
              if (eq > 0) {
                m.put(l.substring(0, eq), l.substring(eq + 1));
              }
            });
    return m;
  }

  /** Reads a command's output stream to its end into {@code out}. */
  static void copy(InputStream in, ByteArrayOutputStream out) {
    try {
      in.transferTo(out);
    } catch (IOException e) {
      // the command's own exit status tells what went wrong
    }
  }

  /** Uploads {@code local} to {@code remote} with file mode {@code mode}, reporting bytes sent. */
  void upload(Path local, String remote, int mode, LongConsumer progress) {
    SFTPClient sftp;
    try {
      sftp = ssh.newSFTPClient();
    } catch (IOException e) {
      // the SSH server offers no SFTP subsystem: copy through a shell, as `scp -O` does
      ShellUpload.upload(ssh, target, local, remote, mode, progress);
      return;
    }
    try (sftp;
        RemoteFile file =
            sftp.open(
                remote,
                EnumSet.of(OpenMode.WRITE, OpenMode.CREAT, OpenMode.TRUNC, OpenMode.EXCL),
                new FileAttributes.Builder().withPermissions(mode).build());
        InputStream in = Files.newInputStream(local);
        OutputStream out = file.new RemoteFileOutputStream(0, 16)) {
      send(in, out, progress);
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.ERROR, "cannot upload to " + remote + " on " + target + ": " + e.getMessage());
    }
  }

  /** Copies {@code in} to {@code out}, reporting the bytes sent so far after each piece. */
  static void send(InputStream in, OutputStream out, LongConsumer progress) throws IOException {
    byte[] buf = new byte[32 * 1024];
    long sent = 0;
    for (int n; (n = in.read(buf)) > 0; ) {
      out.write(buf, 0, n);
      sent += n;
      progress.accept(sent);
    }
  }

  /** Shell-quotes {@code s} for a POSIX shell. */
  static String q(String s) {
    return "'" + s.replace("'", "'\\''") + "'";
  }

  @Override
  public void close() {
    closeQuietly(ssh);
  }

  private static void closeQuietly(SSHClient ssh) {
    try {
      ssh.disconnect();
    } catch (IOException e) {
      // nothing left to do with a connection that is going away
    }
  }
}
