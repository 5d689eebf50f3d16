package dev.ocean.common.client;

/** Talking to the Ocean server failed. The message is one sentence fit to show a user as it is. */
public class OceanClientException extends RuntimeException {
  public OceanClientException(String message) {
    super(message);
  }

  public OceanClientException(String message, Throwable cause) {
    super(message, cause);
  }
}
