package dev.ocean.agent.runtime.docker;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocean.agent.runtime.RunRuntimeException;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.common.api.instance.InstanceSpec;
import dev.ocean.common.validation.PortRange;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** How an instance run's container is shaped, and the small parsers behind its endpoints. */
class InstanceShapeTest {
  @TempDir Path dir;
  private final ObjectMapper json = new ObjectMapper();

  private Instances instances(String range) {
    return new Instances(null, InstanceOptions.of("127.0.0.1", range, dir.resolve("init")));
  }

  private static RunSpec spec(String runId, Path volume) {
    return RunSpec.of(runId, 7, 0, "dev:1", List.of())
        .withVolumeDir(volume)
        .withInstance(
            new InstanceSpec(
                "box",
                "ann@example.com",
                List.of("ssh-ed25519 AAAAC3Nza ann", "ssh-rsa AAAAB3 x\nssh-ed25519 AAAAinjected"),
                "it's secret"));
  }

  @Test
  void portsArePublishedOnTheAdvertisedAddressOnlyAndDataTravelsInTheEnvironment() {
    DockerOptions options = DockerOptions.defaults("n1").withNetworkMode("host");
    RunSpec spec = spec("7-0", Path.of("/srv/vol/ann"));
    ObjectNode body = ContainerRequest.body(json, spec, options, 0);
    instances("31000-31009").shape(body, spec, options.networkMode());

    JsonNode host = body.path("HostConfig");
    JsonNode ssh = host.path("PortBindings").path("22/tcp").get(0);
    JsonNode editor = host.path("PortBindings").path("8080/tcp").get(0);
    assertEquals("127.0.0.1", ssh.path("HostIp").asText());
    assertEquals("127.0.0.1", editor.path("HostIp").asText());
    int sshPort = ssh.path("HostPort").asInt();
    int editorPort = editor.path("HostPort").asInt();
    assertTrue(sshPort >= 31000 && sshPort <= 31009 && editorPort >= 31000 && editorPort <= 31009);
    assertNotEquals(sshPort, editorPort);
    assertEquals(Integer.toString(sshPort), body.path("Labels").path("ocean.ssh-port").asText());
    assertEquals("bridge", host.path("NetworkMode").asText(), "host networking cannot publish");
    assertEquals("0", body.path("User").asText());
    assertEquals(
        List.of("/srv/vol/ann:/home/linuxbrew", dir.resolve("init") + ":/.ocean:ro"),
        json.convertValue(host.path("Binds"), List.class));
    assertTrue(Files.isRegularFile(dir.resolve("init/init")));
    String entry = body.path("Entrypoint").toString();
    assertTrue(entry.endsWith("\"/.ocean/init\"]"), entry);
    List<?> env = json.convertValue(body.path("Env"), List.class);
    // a key with a line break could smuggle in a second key: it is dropped
    assertTrue(env.contains("OCEAN_AUTHORIZED_KEYS=ssh-ed25519 AAAAC3Nza ann"), env.toString());
    assertTrue(env.contains("OCEAN_EDITOR_PASSWORD=it's secret"), env.toString());
    assertFalse(body.path("Entrypoint").toString().contains("secret"));
  }

  @Test
  void anInstanceWithoutAVolumeGetsAnAnonymousHome() {
    DockerOptions options = DockerOptions.defaults("n1");
    RunSpec spec = spec("7-1", null);
    ObjectNode body = ContainerRequest.body(json, spec, options, 0);
    instances(null).shape(body, spec, null);
    assertTrue(body.path("Volumes").has("/home/linuxbrew"));
    assertEquals(1, body.path("HostConfig").path("Binds").size());
  }

  @Test
  void portsTakenOnTheHostOrByAnotherInstanceAreSkippedAndReleasedOnRemove() throws Exception {
    try (ServerSocket busy = portWithTwoFreeAbove()) {
      int low = busy.getLocalPort();
      InstancePorts ports = new InstancePorts("127.0.0.1", new PortRange(low, low + 2));
      InstancePorts.Pair first = ports.reserve("1-0");
      assertEquals(
          List.of(low + 1, low + 2),
          List.of(first.ssh(), first.editor()).stream().sorted().toList());
      assertThrowsNoPorts(ports);
      ports.release("1-0");
      InstancePorts.Pair second = ports.reserve("2-0");
      assertEquals(
          List.of(low + 1, low + 2),
          List.of(second.ssh(), second.editor()).stream().sorted().toList());
    }
  }

  /**
   * A bound loopback port whose two next ports are free right now. It is drawn below Linux's
   * ephemeral range (32768 and up), where a machine busy with thousands of connections does not
   * crowd every port's neighbours, as it can for one the system hands out.
   */
  private static ServerSocket portWithTwoFreeAbove() throws IOException {
    InetAddress loopback = InetAddress.getByName("127.0.0.1");
    java.util.Random random = new java.util.Random();
    for (int attempt = 0; ; attempt++) {
      int low = 20_000 + random.nextInt(12_000);
      ServerSocket busy;
      try {
        busy = new ServerSocket(low, 1, loopback);
      } catch (IOException taken) {
        continue;
      }
      if (free(loopback, low + 1) && free(loopback, low + 2)) {
        return busy;
      }
      busy.close();
      if (attempt == 1000) {
        throw new IOException("no loopback port with two free ports above it");
      }
    }
  }

  private static boolean free(InetAddress address, int port) {
    try (ServerSocket probe = new ServerSocket(port, 1, address)) {
      return true;
    } catch (IOException e) {
      return false;
    }
  }

  private static void assertThrowsNoPorts(InstancePorts ports) {
    var e = assertThrows(RunRuntimeException.class, () -> ports.reserve("2-0"));
    assertTrue(e.getMessage().contains("--port-range"), e.getMessage());
  }

  @Test
  void hostKeyIsTheKeyWithoutItsCommentAndNothingHalfWritten() {
    assertEquals(
        "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOq",
        Instances.publicKeyLine("ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIOq ocean-instance\n"));
    assertNull(Instances.publicKeyLine("ssh-ed25519 AAA"));
    assertNull(Instances.publicKeyLine(""));
  }

  @Test
  void tarArchiveGivesItsFirstFile() throws Exception {
    byte[] header = new byte[512];
    byte[] name = "key.pub".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(name, 0, header, 0, name.length);
    byte[] size = "00000000005 ".getBytes(StandardCharsets.US_ASCII);
    System.arraycopy(size, 0, header, 124, size.length);
    header[156] = '0';
    byte[] tar = new byte[512 * 4];
    System.arraycopy(header, 0, tar, 0, 512);
    System.arraycopy("hello".getBytes(StandardCharsets.US_ASCII), 0, tar, 512, 5);
    assertEquals("hello", Tar.firstFile(new ByteArrayInputStream(tar), 100));
    assertNull(Tar.firstFile(new ByteArrayInputStream(tar), 4));
  }

  @Test
  void theFlagsAreCheckedWithSentencesNamingThem() {
    for (String bad : List.of("30000", "80-90", "32000-31000", "a-b")) {
      var e = assertThrows(IllegalArgumentException.class, () -> PortRange.parse(bad));
      assertTrue(e.getMessage().startsWith("--port-range"), e.getMessage());
    }
    assertEquals("30000-32767", PortRange.parse(null).toString());
    var e =
        assertThrows(
            IllegalArgumentException.class, () -> InstanceOptions.checkAddress("example.com"));
    assertTrue(e.getMessage().startsWith("--advertise-address"), e.getMessage());
    assertEquals("127.0.0.1", InstanceOptions.checkAddress("127.0.0.1"));
  }

  @Test
  void trafficCountersLeaveOutTheContainersOwnLoopbackUnlessConnectionsArriveOverIt()
      throws Exception {
    Path dev = dir.resolve("net-dev");
    Files.writeString(
        dev,
        """
        Inter-|   Receive                                                |  Transmit
         face |bytes    packets errs drop fifo frame compressed multicast|bytes    packets errs
            lo:    1408      18    0    0    0     0          0         0     1408      18    0
          tap0:     110       1    0    0    0     0          0         0      250       3    0
        """);
    assertEquals(java.util.Optional.of(360L), InstanceTraffic.procNetDev(dev, false));
    assertEquals(java.util.Optional.of(3176L), InstanceTraffic.procNetDev(dev, true));
    assertTrue(InstanceTraffic.procNetDev(dir.resolve("missing"), false).isEmpty());
  }
}
