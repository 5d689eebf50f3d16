package dev.ocean.common.api.node;

import com.fasterxml.jackson.annotation.JsonIgnoreProperties;

/**
 * Size of one mounted local file system on a node, part of {@link NodeFacts}.
 *
 * @param mount mount point, e.g. {@code "/"}
 * @param totalBytes capacity, or null when unknown
 * @param freeBytes space an unprivileged process may still use, or null when unknown
 */
@JsonIgnoreProperties(ignoreUnknown = true)
public record DiskInfo(String mount, Long totalBytes, Long freeBytes) {}
