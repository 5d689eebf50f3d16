package dev.ocean.common.api;

/**
 * An admin's password reset: as a request, the new password (null to have one generated); as the
 * answer, the account and the generated password (shown only this once; null when the admin chose
 * it).
 */
public record PasswordReset(String email, String password) {}
