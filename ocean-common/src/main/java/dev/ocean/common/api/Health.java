package dev.ocean.common.api;

/** Answer of {@code GET /api/v1/health}. */
public record Health(String status, String version) {}
