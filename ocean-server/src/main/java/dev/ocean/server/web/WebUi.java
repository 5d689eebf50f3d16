package dev.ocean.server.web;

/** The web UI's handlers, for the route table: page and assets, session, live events, GPU-hours. */
public record WebUi(
    WebAssets assets,
    SessionController session,
    EventsController events,
    LogEvents logs,
    GpuHoursController gpuHours) {}
