package dev.ocean.cli.base;

/**
 * Text that {@link Style} has already made safe and perhaps coloured: tables and detail views print
 * it as it is, while every other value they get is escaped first.
 */
public record Styled(String text) {
  @Override
  public String toString() {
    return text;
  }
}
