package dev.ocean.agent.work;

import dev.ocean.common.api.instance.InstanceEndpoints;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.security.PublicKey;
import java.time.Duration;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.TimeUnit;
import net.schmizz.sshj.SSHClient;
import net.schmizz.sshj.common.Buffer;
import net.schmizz.sshj.common.KeyType;
import net.schmizz.sshj.connection.channel.direct.Session;
import net.schmizz.sshj.transport.verification.HostKeyVerifier;
import net.schmizz.sshj.userauth.UserAuthException;

/**
 * Reaches a test instance the way its owner does, over loopback only: SSH as {@code linuxbrew} with
 * a key file, the host key checked against the one the agent reported, and HTTP to the editor port.
 */
final class InstanceSsh {
  private InstanceSsh() {}

  /**
   * Runs {@code command} and returns its output, retrying while sshd is not listening yet.
   *
   * @throws UserAuthException when the key is refused
   */
  static String run(InstanceEndpoints at, Path key, String command) throws Exception {
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        return once(at, key, command);
      } catch (UserAuthException e) {
        throw e;
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
        Thread.sleep(200);
      }
    }
  }

  private static String once(InstanceEndpoints at, Path key, String command) throws IOException {
    try (SSHClient ssh = new SSHClient()) {
      ssh.addHostKeyVerifier(pinned(at.hostKey()));
      ssh.setConnectTimeout(5000);
      ssh.connect(at.address(), at.sshPort());
      ssh.authPublickey("linuxbrew", ssh.loadKeys(key.toString()));
      try (Session session = ssh.startSession();
          Session.Command cmd = session.exec(command)) {
        String out = new String(cmd.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        cmd.join(10, TimeUnit.SECONDS);
        return out;
      }
    }
  }

  /** Accepts exactly the reported host key. */
  private static HostKeyVerifier pinned(String reported) {
    return new HostKeyVerifier() {
      @Override
      public boolean verify(String host, int port, PublicKey key) {
        return reported != null && reported.equals(openSsh(key));
      }

      @Override
      public List<String> findExistingAlgorithms(String host, int port) {
        return List.of();
      }
    };
  }

  static String openSsh(PublicKey key) {
    byte[] blob = new Buffer.PlainBuffer().putPublicKey(key).getCompactData();
    return KeyType.fromKey(key) + " " + Base64.getEncoder().encodeToString(blob);
  }

  /** The editor port's answer to {@code GET /}, retrying while nothing listens yet. */
  static String editorPage(InstanceEndpoints at) throws Exception {
    HttpClient http = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();
    URI uri = URI.create("http://" + at.address() + ":" + at.editorPort() + "/");
    long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
    while (true) {
      try {
        HttpResponse<String> answer =
            http.send(HttpRequest.newBuilder(uri).build(), HttpResponse.BodyHandlers.ofString());
        if (answer.statusCode() == 200) {
          return answer.body();
        }
      } catch (IOException e) {
        if (System.nanoTime() > deadline) {
          throw e;
        }
      }
      if (System.nanoTime() > deadline) {
        throw new AssertionError("the editor port never answered 200");
      }
      Thread.sleep(200);
    }
  }
}
