package dev.ocean.server.user;

/** The authenticated user of a request. */
public record Principal(long userId, String email, boolean admin, long tokenId) {}
