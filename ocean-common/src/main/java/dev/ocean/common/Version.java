package dev.ocean.common;

/** The Ocean release version, shared by every program so they can tell each other apart. */
public final class Version {
  public static final String VERSION = "0.1.0";

  /** Version of the agent ↔ server protocol; the server refuses agents that speak another. */
  public static final int AGENT_PROTOCOL = 1;

  private Version() {}
}
