package dev.ocean.common.tls;

/** A PEM file could not be used; the message is one sentence that names the file. */
public class PemException extends RuntimeException {
  public PemException(String message) {
    super(message);
  }

  public PemException(String message, Throwable cause) {
    super(message, cause);
  }
}
