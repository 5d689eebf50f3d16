package dev.ocean.agent.daemon;

import dev.ocean.agent.runtime.docker.DockerOptions;
import dev.ocean.common.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.List;
import java.util.Optional;

/**
 * The agent's identity and settings, kept in {@code agent.json} in the state directory. It holds
 * the node credential, so it is created with mode 0600 and never widened.
 *
 * @param runtime {@code docker} or {@code process}
 * @param ulimits container ulimits as {@code name=soft:hard}; null or empty for the defaults
 *     (nofile and nproc 4096)
 * @param caCert absolute path of a PEM file of extra certificates to trust when talking to the
 *     server (a private CA or its self-signed certificate); null when the system's CAs suffice
 * @param registration the server's id of this registration (null for configs written before it
 *     existed): it scopes this agent's containers, processes and log spool
 * @param runAs the account the process runtime runs jobs as ({@code --run-as}); null for none
 *     given, which an agent running as root refuses
 * @param portRange host ports instances are published on ({@code --port-range A-B}); null for
 *     30000-32767
 * @param advertiseAddress the address users reach instances on, and the only one their ports are
 *     bound to ({@code --advertise-address}); null for the primary interface's
 */
public record AgentConfig(
    String server,
    String nodeName,
    String credential,
    String runtime,
    String dockerHost,
    String storage,
    int heartbeatSeconds,
    List<String> ulimits,
    String caCert,
    String registration,
    String runAs,
    String portRange,
    String advertiseAddress) {

  /** This config with {@code newCredential} in place of the node credential. */
  public AgentConfig withCredential(String newCredential) {
    return new AgentConfig(
        server,
        nodeName,
        newCredential,
        runtime,
        dockerHost,
        storage,
        heartbeatSeconds,
        ulimits,
        caCert,
        registration,
        runAs,
        portRange,
        advertiseAddress);
  }

  /** This config with {@code account} as the {@code --run-as} account. */
  public AgentConfig withRunAs(String account) {
    return new AgentConfig(
        server,
        nodeName,
        credential,
        runtime,
        dockerHost,
        storage,
        heartbeatSeconds,
        ulimits,
        caCert,
        registration,
        account,
        portRange,
        advertiseAddress);
  }

  /** This config trusting the certificates in {@code file} ({@code run --ca-cert}). */
  public AgentConfig withCaCert(String file) {
    return new AgentConfig(
        server,
        nodeName,
        credential,
        runtime,
        dockerHost,
        storage,
        heartbeatSeconds,
        ulimits,
        file,
        registration,
        runAs,
        portRange,
        advertiseAddress);
  }

  /** This config with the instance flags given to {@code run}; null keeps the stored one. */
  public AgentConfig withInstanceFlags(String range, String address) {
    return new AgentConfig(
        server,
        nodeName,
        credential,
        runtime,
        dockerHost,
        storage,
        heartbeatSeconds,
        ulimits,
        caCert,
        registration,
        runAs,
        range != null ? range : portRange,
        address != null ? address : advertiseAddress);
  }

  /**
   * Checks {@code --port-range} and {@code --advertise-address}; throws IllegalArgumentException
   * with a sentence naming the flag.
   */
  public static void checkInstanceFlags(String range, String address) {
    dev.ocean.common.validation.PortRange.parse(range);
    if (address != null) {
      dev.ocean.agent.runtime.docker.InstanceOptions.checkAddress(address);
    }
  }

  /** How this agent's container runtime starts instances; the init lives under {@code workDir}. */
  public dev.ocean.agent.runtime.docker.InstanceOptions instanceOptions(Path workDir) {
    return dev.ocean.agent.runtime.docker.InstanceOptions.of(
        advertiseAddress, portRange, workDir.resolve("instance-init"));
  }

  /**
   * The name this agent's containers are labelled and named with: the node name and, for
   * registrations that have one, the registration id, so an earlier registration's are not its own.
   */
  public String runLabel() {
    return registration == null ? nodeName : nodeName + "." + registration;
  }

  /** Where this registration keeps run state and the log spool inside {@code stateDir}. */
  public java.nio.file.Path workDir(java.nio.file.Path stateDir) {
    return registration == null
        ? stateDir
        : stateDir.resolve("registrations").resolve(registration);
  }

  /** The ulimits containers get, parsed from {@code name=soft:hard} or {@code name=value}. */
  public List<DockerOptions.Ulimit> containerUlimits() {
    if (ulimits == null || ulimits.isEmpty()) {
      return DockerOptions.DEFAULT_ULIMITS;
    }
    return ulimits.stream().map(AgentConfig::ulimit).toList();
  }

  /** Parses one ulimit; throws IllegalArgumentException with a sentence for a user. */
  public static DockerOptions.Ulimit ulimit(String text) {
    java.util.regex.Matcher m =
        java.util.regex.Pattern.compile("([a-z]+)=(\\d{1,18})(?::(\\d{1,18}))?").matcher(text);
    if (!m.matches()) {
      throw new IllegalArgumentException(
          "--ulimit must look like nofile=4096:4096 or nproc=4096, not '" + text + "'");
    }
    long soft = Long.parseLong(m.group(2));
    long hard = m.group(3) == null ? soft : Long.parseLong(m.group(3));
    if (soft > hard) {
      throw new IllegalArgumentException(
          "--ulimit " + text + ": the soft limit exceeds the hard one");
    }
    return new DockerOptions.Ulimit(m.group(1), soft, hard);
  }

  public static final String FILE = "agent.json";

  public static Optional<AgentConfig> load(Path stateDir) {
    Path f = stateDir.resolve(FILE);
    if (!Files.exists(f)) {
      return Optional.empty();
    }
    try {
      return Optional.of(RecordJson.read(Files.readAllBytes(f), AgentConfig.class));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read " + f, e);
    }
  }

  public void save(Path stateDir) {
    writePrivate(stateDir, FILE, this);
  }

  /** Writes a JSON file readable only by its owner, atomically. */
  static void writePrivate(Path dir, String name, Object value) {
    try {
      if (!Files.isDirectory(dir)) {
        Files.createDirectories(
            dir,
            PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rwx------")));
      }
      PrivateFiles.write(dir.resolve(name), RecordJson.write(value, true));
    } catch (IOException e) {
      throw new UncheckedIOException("cannot write " + dir.resolve(name), e);
    }
  }

  static <T> Optional<T> read(Path file, Class<T> type) {
    if (!Files.exists(file)) {
      return Optional.empty();
    }
    try {
      return Optional.of(RecordJson.read(Files.readAllBytes(file), type));
    } catch (IOException e) {
      return Optional.empty();
    }
  }
}
