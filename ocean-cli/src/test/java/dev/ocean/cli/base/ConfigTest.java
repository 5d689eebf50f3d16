package dev.ocean.cli.base;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigTest {
  @TempDir Path dir;

  @Test
  void aConfigSavedBeforeCaCertExistedStillLoads() throws Exception {
    Path file = dir.resolve("config.json");
    Files.writeString(
        file, "{\"server\":\"http://ocean:8080\",\"token\":\"ocn_t\",\"email\":\"a@b.c\"}");
    assertEquals(
        new Config.Saved("http://ocean:8080", "ocn_t", "a@b.c", null), new Config(file).load());
  }

  @Test
  void theCaCertIsSavedAndReadBack() {
    Config config = new Config(dir.resolve("ocean").resolve("config.json"));
    Config.Saved saved = new Config.Saved("https://ocean", "ocn_t", "a@b.c", "/etc/ocean/ca.pem");
    config.save(saved);
    assertEquals(saved, config.load());
  }

  @Test
  void theConfigFolderIsPrivateEvenWhenItExistedWorldWritable() throws Exception {
    Path folder = Files.createDirectories(dir.resolve("ocean"));
    Files.setPosixFilePermissions(folder, PosixFilePermissions.fromString("rwxrwxrwx"));
    new Config(folder.resolve("config.json"))
        .save(new Config.Saved("https://ocean", "ocn_t", "a@b.c", null));
    assertEquals("rwx------", PosixFilePermissions.toString(Files.getPosixFilePermissions(folder)));
    assertEquals(
        "rw-------",
        PosixFilePermissions.toString(
            Files.getPosixFilePermissions(folder.resolve("config.json"))));
  }
}
