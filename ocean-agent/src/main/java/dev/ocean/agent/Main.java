package dev.ocean.agent;

import dev.ocean.agent.cmd.AgentCommand;

/** Entry point of {@code ocean-agent}; the only place that calls {@code System.exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.exit(AgentCommand.run(System.getenv(), args));
  }
}
