package dev.ocean.agent.cmd;

import picocli.CommandLine.Command;

@Command(
    name = "gpus",
    description = "Print what this node detects (CPUs, memory, GPUs), like slurmd -C.")
final class GpusCommand extends AgentSubcommand {
  @Override
  public Integer call() {
    System.out.println(fingerprint().report());
    return 0;
  }
}
