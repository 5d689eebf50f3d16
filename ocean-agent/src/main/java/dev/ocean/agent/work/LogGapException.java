package dev.ocean.agent.work;

/**
 * The server refused a log chunk because it starts beyond the bytes the server holds (HTTP 409);
 * the shipper asks for the server's size and continues from there.
 */
final class LogGapException extends RuntimeException {
  LogGapException(String runId, long offset) {
    super("the server holds fewer than " + offset + " log bytes of run " + runId);
  }
}
