package dev.ocean.agent;

/** Entry point of {@code ocean-agent}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("ocean-agent");
  }
}
