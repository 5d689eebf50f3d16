package dev.ocean.server.web;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.core.type.TypeReference;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;

/**
 * Every string key the web UI's scripts use exists in both the English and the Korean dictionary,
 * and neither dictionary has a key the other lacks or an empty text.
 */
class TranslationsTest {
  static final Path WEB = Path.of("src/main/resources/web");
  static final Map<String, List<String>> DYNAMIC =
      Map.of(
          // keys the scripts build from a value: t(`state.${s}`) and the like
          "state.", List.of("pending", "assigned", "running", "succeeded", "failed", "cancelled"),
          "role.", List.of("user", "admin"),
          "users.", List.of("activate", "disable", "promote", "demote"),
          "quota.", List.of("approve", "reject", "approved", "rejected"),
          "nodes.", List.of("drain", "undrain", "remove"),
          "images.kind.", List.of("container", "host"));

  Map<String, String> dictionary(String lang) throws IOException {
    return new ObjectMapper()
        .readValue(WEB.resolve("i18n").resolve(lang + ".json").toFile(), new TypeReference<>() {});
  }

  /** Every quoted literal in the scripts that looks like a key of a dictionary's namespaces. */
  Set<String> usedKeys(Set<String> namespaces) throws IOException {
    Pattern literal = Pattern.compile("['`]([a-z]+(?:\\.[A-Za-z]+)+)['`]");
    Set<String> used = new TreeSet<>();
    try (Stream<Path> files = Files.list(WEB)) {
      for (Path f : files.filter(p -> p.toString().endsWith(".js")).toList()) {
        Matcher m = literal.matcher(Files.readString(f));
        while (m.find()) {
          String key = m.group(1);
          if (namespaces.contains(key.substring(0, key.indexOf('.')))) {
            used.add(key);
          }
        }
      }
    }
    DYNAMIC.forEach((prefix, values) -> values.forEach(v -> used.add(prefix + v)));
    return used;
  }

  @Test
  void everyKeyTheScriptsUseIsInEnglishAndKorean() throws IOException {
    Map<String, String> en = dictionary("en");
    Map<String, String> ko = dictionary("ko");
    Set<String> namespaces = new TreeSet<>();
    en.keySet().forEach(k -> namespaces.add(k.substring(0, k.indexOf('.'))));
    Set<String> used = usedKeys(namespaces);
    assertTrue(used.size() > 150, "the scan sees the scripts' keys: " + used.size());
    List<String> missing = new ArrayList<>();
    for (String key : used) {
      if (!en.containsKey(key)) {
        missing.add("en: " + key);
      }
      if (!ko.containsKey(key)) {
        missing.add("ko: " + key);
      }
    }
    assertEquals(List.of(), missing);
  }

  @Test
  void bothDictionariesHaveTheSameKeysAndNoEmptyText() throws IOException {
    Map<String, String> en = dictionary("en");
    Map<String, String> ko = dictionary("ko");
    assertEquals(new TreeSet<>(en.keySet()), new TreeSet<>(ko.keySet()));
    List<String> empty = new ArrayList<>();
    en.forEach(
        (k, v) -> {
          if (v.isBlank()) empty.add("en: " + k);
        });
    ko.forEach(
        (k, v) -> {
          if (v.isBlank()) empty.add("ko: " + k);
        });
    assertEquals(List.of(), empty);
    assertTrue(
        ko.values().stream()
                .filter(v -> v.codePoints().anyMatch(c -> c >= 0xAC00 && c <= 0xD7A3))
                .count()
            > ko.size() * 3 / 4,
        "the Korean dictionary is mostly Hangul, not copied English");
  }
}
