package dev.ocean.common.api;

/**
 * An RFC 9457 problem detail: the one error shape every Ocean endpoint answers with.
 *
 * @param field the request field that was wrong, when the problem is about one
 */
public record Problem(String type, String title, int status, String detail, String field) {}
