package dev.ocean.common.api;

import java.time.Instant;

/** One recorded change: who did what to which resource, when. */
public record AuditEntry(
    long id, Instant at, String actor, String action, String resource, String detail) {}
