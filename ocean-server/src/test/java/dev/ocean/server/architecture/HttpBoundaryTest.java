package dev.ocean.server.architecture;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Keeps services free of HTTP: only the {@code http} package may name {@code ApiException}; every
 * other package throws the domain exceptions of {@code dev.ocean.server.error}.
 */
class HttpBoundaryTest {
  private static final Path SOURCES = Path.of("src/main/java/dev/ocean/server");
  private static final Path HTTP = SOURCES.resolve("http");

  @Test
  void onlyTheHttpPackageUsesApiException() throws IOException {
    List<Path> sources = javaFiles();
    assertTrue(sources.size() > 50, "the scan must see the server's sources, saw " + sources);
    List<String> offenders =
        sources.stream()
            .filter(f -> !f.startsWith(HTTP))
            .filter(f -> read(f).contains("dev.ocean.server.http.ApiException"))
            .map(f -> SOURCES.relativize(f).toString())
            .toList();
    assertEquals(List.of(), offenders, "throw a dev.ocean.server.error type instead");
  }

  @Test
  void theErrorPackageDoesNotDependOnHttp() throws IOException {
    List<String> offenders =
        javaFiles().stream()
            .filter(f -> f.startsWith(SOURCES.resolve("error")))
            .filter(f -> read(f).contains("dev.ocean.server.http"))
            .map(f -> SOURCES.relativize(f).toString())
            .toList();
    assertEquals(List.of(), offenders);
  }

  private static List<Path> javaFiles() throws IOException {
    try (Stream<Path> files = Files.walk(SOURCES)) {
      return files.filter(f -> f.toString().endsWith(".java")).toList();
    }
  }

  private static String read(Path f) {
    try {
      return Files.readString(f);
    } catch (IOException e) {
      throw new java.io.UncheckedIOException(e);
    }
  }
}
