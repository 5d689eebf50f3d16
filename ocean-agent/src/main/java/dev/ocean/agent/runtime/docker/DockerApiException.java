package dev.ocean.agent.runtime.docker;

import java.io.IOException;

/** An error answer of the Docker Engine API, with its HTTP status and the engine's message. */
public final class DockerApiException extends IOException {
  private final int status;

  DockerApiException(int status, String message) {
    super(message);
    this.status = status;
  }

  public int status() {
    return status;
  }

  boolean notFound() {
    return status == 404;
  }
}
