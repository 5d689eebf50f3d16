package dev.ocean.server.node;

/**
 * An authenticated agent's node, with what its row said when the request was authenticated (read in
 * the same statement): its state, the state its admin wants it in, and whether a credential
 * rotation was asked for. A live node's usual heartbeat answers from these without reading again.
 */
public record NodeRef(long id, String name, String state, String desired, boolean rotate) {}
