package dev.ocean.common.api;

/** The body of {@code POST /api/v1/users/me/password}: the password now and the new one. */
public record PasswordChange(String currentPassword, String newPassword) {}
