package dev.ocean.common.api;

/** Email and password, as sent to signup and login. */
public record Credentials(String email, String password) {}
