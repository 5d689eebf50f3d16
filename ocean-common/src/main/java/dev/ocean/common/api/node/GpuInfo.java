package dev.ocean.common.api.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Identity and size of one GPU on a node, so the server can hand out whole GPUs by index.
 *
 * @param index nvidia-smi's index, which is what {@code NVIDIA_VISIBLE_DEVICES} and {@code
 *     CUDA_VISIBLE_DEVICES} take
 * @param uuid stable identity, e.g. {@code "GPU-5d6c2a1e-..."}, or null when unknown
 * @param name model, e.g. {@code "NVIDIA H100 80GB HBM3"}, or null when unknown
 * @param memoryTotalMib frame-buffer memory in MiB, or null when unknown
 * @param problem why the GPU cannot be used (nvidia-smi's own message, e.g. "Unable to determine
 *     the device handle for GPU0000:81:00.0: Unknown Error"), or null when it works; a GPU with a
 *     problem is never given to a run
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record GpuInfo(
    int index, String uuid, String name, Integer memoryTotalMib, String problem) {}
