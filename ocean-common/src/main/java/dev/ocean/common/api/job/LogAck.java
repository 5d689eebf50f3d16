package dev.ocean.common.api.job;

/** How many bytes of a run's log the server holds; the agent ships from there. */
public record LogAck(long size) {}
