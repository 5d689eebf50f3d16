package dev.ocean.agent;

import dev.ocean.agent.cmd.AgentCommand;

/** Entry point of {@code ocean-agent}; the only place that calls {@code System.exit}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    // logs are messages, not results: never mixed into what `gpus` or `status` print on stdout
    if (System.getProperty("org.slf4j.simpleLogger.logFile") == null) {
      System.setProperty("org.slf4j.simpleLogger.logFile", "System.err");
    }
    System.exit(AgentCommand.run(System.getenv(), args));
  }
}
