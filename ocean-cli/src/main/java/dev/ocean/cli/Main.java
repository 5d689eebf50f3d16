package dev.ocean.cli;

/** Entry point of {@code ocean}. */
public final class Main {
  private Main() {}

  public static void main(String[] args) {
    System.out.println("ocean");
  }
}
