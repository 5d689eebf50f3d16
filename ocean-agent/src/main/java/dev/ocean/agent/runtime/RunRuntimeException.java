package dev.ocean.agent.runtime;

/** Says, in one sentence fit for a user, why a runtime could not do what was asked. */
public class RunRuntimeException extends RuntimeException {
  public RunRuntimeException(String message) {
    super(message);
  }

  public RunRuntimeException(String message, Throwable cause) {
    super(message, cause);
  }
}
