package dev.ocean.cli.sshkey;

import com.fasterxml.jackson.core.type.TypeReference;
import dev.ocean.cli.base.BaseCommand;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.cli.base.Group;
import dev.ocean.cli.base.Table;
import dev.ocean.common.api.instance.SshKey;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(
    name = "ssh-key",
    description = "Your SSH public keys; every start of your instances authorizes them.",
    subcommands = {
      SshKeyCommand.AddKey.class,
      SshKeyCommand.ListKeys.class,
      SshKeyCommand.RemoveKey.class
    })
public final class SshKeyCommand extends Group {
  /** The answer of {@code GET /ssh-keys}. */
  public static final TypeReference<List<SshKey>> LIST = new TypeReference<>() {};

  /** The longest key file read; a public key line is a few kilobytes at most. */
  private static final int MAX_FILE = 64 * 1024;

  @Command(
      name = "add",
      description = "Add a public key from a file (e.g. ~/.ssh/id_ed25519.pub) or - for stdin.")
  public static final class AddKey extends BaseCommand {
    @Parameters(paramLabel = "FILE", description = "The .pub file, or - to read standard input.")
    String file;

    @Option(
        names = "--name",
        paramLabel = "NAME",
        description = "A name (default: the key's comment).")
    String name;

    @Override
    public Map<String, String> flagsByField() {
      return Map.of("publicKey", "FILE", "name", "--name");
    }

    @Override
    public Integer call() {
      String key = read();
      SshKey k = client().post("/ssh-keys", new SshKey.Add(key, name), SshKey.class);
      print(
          k,
          x -> String.valueOf(x.id()),
          x -> info("SSH key " + x.id() + " added (" + x.type() + " " + x.fingerprint() + ")."));
      return 0;
    }

    private String read() {
      try {
        byte[] bytes =
            file.equals("-") ? ctx().stdin().readNBytes(MAX_FILE + 1) : readFile(ctx().path(file));
        if (bytes.length > MAX_FILE) {
          throw new CliException(
              ExitCodes.USAGE, "FILE: " + file + " is too large for a public key");
        }
        String text = new String(bytes, StandardCharsets.UTF_8).strip();
        if (text.contains("PRIVATE KEY")) {
          throw new CliException(
              ExitCodes.USAGE, "FILE: " + file + " is a private key; give the .pub file beside it");
        }
        return text;
      } catch (NoSuchFileException e) {
        throw new CliException(ExitCodes.USAGE, "FILE: no such file " + file);
      } catch (IOException e) {
        throw new CliException(
            ExitCodes.USAGE, "FILE: cannot read " + file + ": " + e.getMessage());
      }
    }

    private static byte[] readFile(Path p) throws IOException {
      if (Files.size(p) > MAX_FILE) {
        return new byte[MAX_FILE + 1];
      }
      return Files.readAllBytes(p);
    }
  }

  @Command(name = "list", description = "List your SSH keys with their fingerprints.")
  public static final class ListKeys extends BaseCommand {
    @Override
    public Integer call() {
      printList(
          client().get("/ssh-keys", LIST),
          k -> String.valueOf(k.id()),
          ks -> {
            Table t = new Table("ID", "NAME", "TYPE", "FINGERPRINT", "ADDED");
            for (SshKey k : ks) {
              t.row(k.id(), k.name(), k.type(), k.fingerprint(), BaseCommand.time(k.createdAt()));
            }
            t.print(out(), style());
          });
      return 0;
    }
  }

  @Command(
      name = "remove",
      description = "Remove one of your SSH keys (instances drop it at their next start).")
  public static final class RemoveKey extends BaseCommand {
    @Parameters(paramLabel = "ID", description = "The key's id (ocean ssh-key list).")
    long id;

    @Override
    public Integer call() {
      client().delete("/ssh-keys/" + id);
      info("SSH key " + id + " removed.");
      return 0;
    }
  }
}
