package dev.ocean.server.node;

/** An authenticated agent's node. */
public record NodeRef(long id, String name) {}
