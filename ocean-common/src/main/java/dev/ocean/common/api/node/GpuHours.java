package dev.ocean.common.api.node;

/**
 * GPU-hours one user's runs held over a period ({@code GET /api/v1/gpu-hours?from=&to=}, the web
 * UI's GPU board): for each run, its GPUs times the part of its running time inside the period.
 *
 * @param runs how many runs held GPUs in the period
 */
public record GpuHours(String user, double gpuHours, int runs) {}
