package dev.ocean.server;

/** Entry point of {@code ocean-server}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("ocean-server");
  }
}
