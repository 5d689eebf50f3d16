package dev.ocean.cli.node;

import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import java.util.function.LongConsumer;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.connection.channel.direct.Session;

/**
 * The upload {@code ocean node add} falls back to when the host's sshd offers no SFTP subsystem (no
 * {@code Subsystem sftp} line): the file goes through a shell command's standard input, as {@code
 * scp -O} does (qa6 H6).
 */
final class ShellUpload {
  private ShellUpload() {}

  /**
   * Uploads with {@code cat} reading the command's standard input into a file it creates (never one
   * that exists, like SFTP's exclusive open), then gives it {@code mode}.
   */
  static void upload(
      SSHClient ssh, String target, Path local, String remote, int mode, LongConsumer progress) {
    String copy =
        "umask 077 && set -C && cat > "
            + SshHost.q(remote)
            + " && chmod "
            + Integer.toOctalString(mode)
            + " "
            + SshHost.q(remote);
    // through sh whatever the account's login shell, as the install scripts run
    String command = "sh -c " + SshHost.q(copy);
    try (Session session = ssh.startSession()) {
      Session.Command cmd = session.exec(command);
      ByteArrayOutputStream err = new ByteArrayOutputStream();
      Thread errReader = Thread.ofVirtual().start(() -> SshHost.copy(cmd.getErrorStream(), err));
      Thread outReader =
          Thread.ofVirtual()
              .start(() -> SshHost.copy(cmd.getInputStream(), new ByteArrayOutputStream()));
      try (InputStream in = Files.newInputStream(local);
          OutputStream out = cmd.getOutputStream()) {
        SshHost.send(in, out, progress);
      } // closing sends end-of-file: cat finishes
      errReader.join();
      outReader.join();
      cmd.join(60, TimeUnit.SECONDS);
      Integer exit = cmd.getExitStatus();
      if (exit == null || exit != 0) {
        String why =
            new SshHost.Result(-1, "", err.toString(StandardCharsets.UTF_8)).firstErrorLine();
        throw failed(target, remote, why.isEmpty() ? "exit status " + exit : why);
      }
    } catch (IOException e) {
      throw failed(target, remote, e.getMessage());
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new CliException(ExitCodes.ERROR, "interrupted while uploading to " + target);
    }
  }

  private static CliException failed(String target, String remote, String why) {
    return new CliException(
        ExitCodes.ERROR,
        "cannot upload to "
            + remote
            + " on "
            + target
            + " (it offers no SFTP, so through `cat`): "
            + why);
  }
}
