package dev.ocean.common.api.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;
import java.util.List;

/**
 * One reading of a GPU's load, part of {@link NodeMetrics}, for {@code ocean gpu list} and {@code
 * /metrics}.
 *
 * <p>Each number is null when nvidia-smi reports it as {@code [N/A]}, {@code [Not Supported]} or
 * anything unreadable.
 *
 * @param index nvidia-smi's index
 * @param uuid stable identity, or null when unknown
 * @param utilisationGpu percent of time a kernel was running, 0..100
 * @param utilisationMemory percent of time memory was read or written, 0..100
 * @param memoryUsedMib frame-buffer memory in use, MiB
 * @param memoryTotalMib frame-buffer memory, MiB
 * @param temperatureC core temperature, degrees Celsius
 * @param powerDrawW current power draw, watts
 * @param powerLimitW enforced power limit, watts
 * @param processes compute processes using this GPU, never null; read {@code problem} before taking
 *     an empty list for an idle GPU
 * @param problem what could not be read for this GPU (the whole GPU, or its process list), or null
 *     when everything was read
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GpuSample(
    int index,
    String uuid,
    Integer utilisationGpu,
    Integer utilisationMemory,
    Integer memoryUsedMib,
    Integer memoryTotalMib,
    Integer temperatureC,
    Double powerDrawW,
    Double powerLimitW,
    List<GpuProcess> processes,
    String problem) {

  public GpuSample {
    processes = processes == null ? List.of() : List.copyOf(processes);
  }

  /** Returns this sample with {@code processes} in place of the current process list. */
  public GpuSample withProcesses(List<GpuProcess> processes) {
    return new GpuSample(
        index,
        uuid,
        utilisationGpu,
        utilisationMemory,
        memoryUsedMib,
        memoryTotalMib,
        temperatureC,
        powerDrawW,
        powerLimitW,
        processes,
        problem);
  }

  /** Returns this sample with {@code problem} in place of the current one. */
  public GpuSample withProblem(String problem) {
    return new GpuSample(
        index,
        uuid,
        utilisationGpu,
        utilisationMemory,
        memoryUsedMib,
        memoryTotalMib,
        temperatureC,
        powerDrawW,
        powerLimitW,
        processes,
        problem);
  }
}
