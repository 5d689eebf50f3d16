package dev.ocean.common.api.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * What a node is made of, sent by the agent when it registers so the server can place work on it.
 *
 * <p>Numbers are boxed because a source may not know them; {@code null} means unknown, never zero.
 * Unknown JSON properties are ignored so an older server can read a newer agent's facts.
 *
 * @param hostname the node's host name, or null when unknown
 * @param os operating system family and version, e.g. {@code "Ubuntu 22.04.4 LTS"}
 * @param arch CPU architecture as the JVM names it, e.g. {@code "amd64"}
 * @param cpuModel CPU model name, e.g. {@code "AMD EPYC 7763 64-Core Processor"}
 * @param cpuCores logical CPUs (hardware threads)
 * @param memoryTotalBytes physical memory
 * @param disks local file systems, never null
 * @param gpus NVIDIA GPUs in nvidia-smi index order, never null (empty on a CPU-only node); broken
 *     ones carry a {@link GpuInfo#problem()}
 * @param runtime what the run runtime can do now, or null when an older agent did not say
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record NodeFacts(
    String hostname,
    String os,
    String arch,
    String cpuModel,
    Integer cpuCores,
    Long memoryTotalBytes,
    List<DiskInfo> disks,
    List<GpuInfo> gpus,
    RuntimeInfo runtime) {

  public NodeFacts {
    disks = disks == null ? List.of() : List.copyOf(disks);
    gpus = gpus == null ? List.of() : List.copyOf(gpus);
  }

  /** Returns these facts with {@code gpus} in place of the current GPU list. */
  public NodeFacts withGpus(List<GpuInfo> gpus) {
    return new NodeFacts(
        hostname, os, arch, cpuModel, cpuCores, memoryTotalBytes, disks, gpus, runtime);
  }

  /** Returns these facts with {@code runtime} in place of the current runtime report. */
  public NodeFacts withRuntime(RuntimeInfo runtime) {
    return new NodeFacts(
        hostname, os, arch, cpuModel, cpuCores, memoryTotalBytes, disks, gpus, runtime);
  }

  /** The GPUs that work and can be given to runs. */
  public List<GpuInfo> healthyGpus() {
    return gpus.stream().filter(g -> g.problem() == null).toList();
  }
}
