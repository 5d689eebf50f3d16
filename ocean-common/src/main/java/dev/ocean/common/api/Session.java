package dev.ocean.common.api;

/** Answer of login: the API token (shown only this once) and who it belongs to. */
public record Session(String token, User user) {}
