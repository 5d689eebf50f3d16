package dev.ocean.agent.runtime.docker;

import java.util.List;
import java.util.Objects;

/**
 * How {@link DockerRuntime} shapes the containers it creates, beyond what a run asks for.
 *
 * @param agentName this node's name, stored in the {@code ocean.agent} label so that {@link
 *     DockerRuntime#recover} finds only this agent's containers
 * @param ulimits resource limits set on every container
 * @param networkMode Docker network mode ({@code host}, {@code bridge}, …); {@code null} for the
 *     engine's default
 * @param logDriver log driver; {@code null} for the engine's default. Logs are read back through
 *     the API, so it must be one that supports reading ({@code json-file}, {@code local}, Podman's
 *     {@code k8s-file} or {@code journald})
 * @param instances how instances are started (address, port range, init directory)
 */
public record DockerOptions(
    String agentName,
    List<Ulimit> ulimits,
    String networkMode,
    String logDriver,
    InstanceOptions instances) {

  /** The default ulimits: file descriptors and processes capped at 4096, soft and hard. */
  public static final List<Ulimit> DEFAULT_ULIMITS =
      List.of(new Ulimit("nofile", 4096, 4096), new Ulimit("nproc", 4096, 4096));

  public DockerOptions {
    Objects.requireNonNull(agentName, "agentName");
    ulimits = List.copyOf(ulimits);
    Objects.requireNonNull(instances, "instances");
  }

  /** Default options for the agent named {@code agentName}. */
  public static DockerOptions defaults(String agentName) {
    return new DockerOptions(
        agentName, DEFAULT_ULIMITS, null, null, InstanceOptions.defaults(agentName));
  }

  public DockerOptions withUlimits(List<Ulimit> newUlimits) {
    return new DockerOptions(agentName, newUlimits, networkMode, logDriver, instances);
  }

  public DockerOptions withNetworkMode(String mode) {
    return new DockerOptions(agentName, ulimits, mode, logDriver, instances);
  }

  public DockerOptions withLogDriver(String driver) {
    return new DockerOptions(agentName, ulimits, networkMode, driver, instances);
  }

  public DockerOptions withInstances(InstanceOptions newInstances) {
    return new DockerOptions(agentName, ulimits, networkMode, logDriver, newInstances);
  }

  /** One resource limit as {@code setrlimit} takes it, e.g. {@code nofile 4096:4096}. */
  public record Ulimit(String name, long soft, long hard) {}
}
