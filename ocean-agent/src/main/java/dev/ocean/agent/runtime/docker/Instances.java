package dev.ocean.agent.runtime.docker;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import dev.ocean.agent.runtime.RunSpec;
import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.instance.InstanceSpec;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * What {@link DockerRuntime} adds for instance runs: the container shape (Ocean's init as the
 * entrypoint, run as root from a read-only mount; the SSH and editor ports published on the
 * advertised address; the home on the volume or an anonymous one), the host ports each holds, and
 * where users reach it, host key included, read from the home once the init created it.
 */
final class Instances {
  private static final Logger log = LoggerFactory.getLogger(Instances.class);

  static final String KIND = "ocean.kind";
  static final String SSH_PORT = "ocean.ssh-port";
  static final String EDITOR_PORT = "ocean.editor-port";
  static final String ADDRESS = "ocean.address";

  /** Where the init and the busybox it may use are mounted, read-only. */
  static final String MOUNT = "/.ocean";

  /** The host key's public half, relative to the home. */
  static final String HOST_KEY_PUB = ".ocean/ssh_host_ed25519_key.pub";

  /**
   * Where the init lists what it started ({@code sshd}, {@code editor}), once it has: in the
   * container's own file system, so nothing of an earlier start on the same home is read.
   */
  static final String SERVICES = "/run/ocean-services";

  /** A started or adopted instance run: its container and where users reach it. */
  private record Started(String containerId, String address, InstancePorts.Pair ports, Path home) {}

  private final DockerEngineClient engine;
  private final InstanceOptions options;
  private final InstancePorts ports;
  private final Map<String, Started> started = new ConcurrentHashMap<>();
  private final HostLoopback loopback;

  Instances(DockerEngineClient engine, InstanceOptions options) {
    this.engine = engine;
    this.loopback = new HostLoopback(engine);
    this.options = options;
    this.ports = new InstancePorts(options.advertiseAddress(), options.ports());
  }

  /** Reserves the run's host ports and turns a job's create body into an instance's. */
  void shape(ObjectNode body, RunSpec spec, String networkMode) {
    InstanceSpec instance = spec.instance();
    InstancePorts.Pair pair = ports.reserve(spec.runId());
    boolean busybox = InstanceInit.install(options.ensureInitDir());
    ArrayNode entrypoint = body.putArray("Entrypoint");
    if (busybox) {
      entrypoint.add(MOUNT + "/busybox").add("sh");
    } else {
      entrypoint.add("/bin/sh");
    }
    entrypoint.add(MOUNT + "/init");
    body.putArray("Cmd");
    body.put("User", "0");
    body.put("WorkingDir", InstanceSpec.HOME);
    body.put("StopSignal", "SIGTERM");
    if (instance.name() != null && instance.name().matches("[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?")) {
      body.put("Hostname", instance.name());
    }
    ArrayNode env = (ArrayNode) body.get("Env");
    String keys =
        String.join(
            "\n",
            instance.authorizedKeys().stream()
                .filter(
                    k -> k != null && !k.isBlank() && k.indexOf('\n') < 0 && k.indexOf('\r') < 0)
                .toList());
    env.add("OCEAN_AUTHORIZED_KEYS=" + keys);
    String password = instance.editorPassword() == null ? "" : instance.editorPassword();
    env.add("OCEAN_EDITOR_PASSWORD=" + password);
    ObjectNode labels = (ObjectNode) body.get("Labels");
    labels.put(KIND, "instance");
    labels.put(SSH_PORT, Integer.toString(pair.ssh()));
    labels.put(EDITOR_PORT, Integer.toString(pair.editor()));
    labels.put(ADDRESS, options.advertiseAddress());
    ObjectNode exposed = body.putObject("ExposedPorts");
    exposed.putObject(InstanceSpec.SSH_PORT + "/tcp");
    exposed.putObject(InstanceSpec.EDITOR_PORT + "/tcp");
    ObjectNode host = (ObjectNode) body.get("HostConfig");
    ObjectNode bindings = host.putObject("PortBindings");
    bind(bindings, InstanceSpec.SSH_PORT, pair.ssh());
    bind(bindings, InstanceSpec.EDITOR_PORT, pair.editor());
    // published ports need the container's own network namespace
    host.put(
        "NetworkMode",
        networkMode == null || networkMode.equals("host") || networkMode.equals("none")
            ? "bridge"
            : networkMode);
    if (networkMode == null || networkMode.equals("host") || networkMode.equals("none")) {
      loopback.apply(body); // OCEAN_SERVER must lead to the server from the container's network
    }
    ArrayNode binds = host.has("Binds") ? (ArrayNode) host.get("Binds") : host.putArray("Binds");
    binds.add(options.initDir().toAbsolutePath() + ":" + MOUNT + ":ro");
    if (spec.volumeDir() == null) {
      body.putObject("Volumes").putObject(InstanceSpec.HOME); // anonymous, removed with it
    }
  }

  private void bind(ObjectNode bindings, int containerPort, int hostPort) {
    bindings
        .putArray(containerPort + "/tcp")
        .addObject()
        .put("HostIp", options.advertiseAddress())
        .put("HostPort", Integer.toString(hostPort));
  }

  /** Whether an engine's start error says a published host port is in use. */
  static boolean portTaken(String message) {
    String m = message == null ? "" : message.toLowerCase(java.util.Locale.ROOT);
    return m.contains("address already in use") || m.contains("port is already allocated");
  }

  /** Records a started instance run. */
  void started(String runId, String containerId, RunSpec spec) {
    started.put(
        runId,
        new Started(containerId, options.advertiseAddress(), ports.get(runId), spec.volumeDir()));
  }

  /** Takes back an instance container found after a restart, keeping its ports reserved. */
  void adopt(String runId, String containerId, JsonNode container) {
    JsonNode labels = container.path("Config").path("Labels");
    if (!"instance".equals(labels.path(KIND).asText())) {
      return;
    }
    InstancePorts.Pair pair =
        new InstancePorts.Pair(labels.path(SSH_PORT).asInt(), labels.path(EDITOR_PORT).asInt());
    ports.adopt(runId, pair);
    Path home = null;
    for (JsonNode mount : container.path("Mounts")) {
      if (InstanceSpec.HOME.equals(mount.path("Destination").asText())
          && "bind".equals(mount.path("Type").asText())) {
        home = Path.of(mount.path("Source").asText());
      }
    }
    String address = labels.path(ADDRESS).asText(options.advertiseAddress());
    started.put(runId, new Started(containerId, address, pair, home));
  }

  /** The run id and container id of each started or adopted instance run. */
  Map<String, String> containers() {
    Map<String, String> ids = new java.util.HashMap<>();
    started.forEach((run, s) -> ids.put(run, s.containerId()));
    return ids;
  }

  /** Frees what the run held; idempotent. */
  void release(String runId) {
    started.remove(runId);
    ports.release(runId);
  }

  Optional<InstanceEndpoints> endpoints(String runId) {
    Started s = started.get(runId);
    if (s == null) {
      return Optional.empty();
    }
    List<String> services = servicesOf(containerFile(s, SERVICES));
    return Optional.of(
        new InstanceEndpoints(
            s.address(),
            s.ports().ssh(),
            s.ports().editor(),
            publicKeyLine(homeFile(s, HOST_KEY_PUB)),
            services == null ? null : services.contains("sshd"),
            services == null ? null : services.contains("editor")));
  }

  /** The services the init's file names, or null before the init wrote it. */
  static List<String> servicesOf(String text) {
    return text == null ? null : text.lines().map(String::strip).toList();
  }

  /** A file the init writes in the home: from the volume, or through the engine; null if none. */
  private String homeFile(Started s, String path) {
    if (s.home() == null) {
      return containerFile(s, InstanceSpec.HOME + "/" + path);
    }
    try {
      Path file = s.home().resolve(path);
      return Files.isRegularFile(file) ? Files.readString(file, StandardCharsets.UTF_8) : null;
    } catch (IOException | RuntimeException e) {
      log.debug("{} of {} not readable yet: {}", path, s.containerId(), e.toString());
      return null;
    }
  }

  /** A file inside the container, through the engine; null while it does not exist. */
  private String containerFile(Started s, String path) {
    try (InputStream tar = engine.archive(s.containerId(), path)) {
      return tar == null ? null : Tar.firstFile(tar, 16 * 1024);
    } catch (IOException | RuntimeException e) {
      log.debug("{} of {} not readable yet: {}", path, s.containerId(), e.toString());
      return null;
    }
  }

  /** The first line when it looks like an OpenSSH public key, else null (e.g. half written). */
  static String publicKeyLine(String text) {
    if (text == null) {
      return null;
    }
    String[] words = text.strip().lines().findFirst().orElse("").split(" ");
    if (words.length < 2
        || !words[0].matches("(ssh|ecdsa|sk)-[A-Za-z0-9@.-]+")
        || !words[1].matches("[A-Za-z0-9+/]{16,}={0,2}")) {
      return null;
    }
    return words[0] + " " + words[1]; // without the comment
  }
}
