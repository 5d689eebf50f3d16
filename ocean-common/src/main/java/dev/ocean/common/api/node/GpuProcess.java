package dev.ocean.common.api.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * A compute process holding GPU memory, part of {@link GpuSample}, so admins can see who uses a
 * GPU.
 *
 * @param pid process id in the node's PID namespace, or null when unknown
 * @param processName executable as nvidia-smi names it, e.g. {@code "/usr/bin/python3"}
 * @param usedMemoryMib GPU memory the process holds, MiB; null when unknown (often so in
 *     containers)
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GpuProcess(Integer pid, String processName, Integer usedMemoryMib) {}
