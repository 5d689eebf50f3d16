package dev.ocean.server.autostop;

/**
 * Stops an instance on the server's own initiative (idle, quota expired), keeping its volume. The
 * instance service implements it ({@code InstanceService.stopFor}).
 */
@FunctionalInterface
public interface InstanceStopper {
  /**
   * Stops the instance if it is still pending, starting or running.
   *
   * @param reason what its owner sees as the reason, e.g. {@code idle for 4 h}
   */
  void stop(long instanceId, String reason);
}
