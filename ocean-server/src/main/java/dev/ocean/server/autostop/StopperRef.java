package dev.ocean.server.autostop;

/**
 * The one {@link InstanceStopper} the idle and quota sweeps share, so the instance service's stop
 * can be plugged in once ({@code OceanServer.stopInstancesWith}).
 */
public final class StopperRef implements InstanceStopper {
  private volatile InstanceStopper target;

  public StopperRef(InstanceStopper initial) {
    this.target = initial;
  }

  public void use(InstanceStopper stopper) {
    this.target = stopper;
  }

  @Override
  public void stop(long instanceId, String reason) {
    target.stop(instanceId, reason);
  }
}
