package dev.ocean.cli.cluster;

import dev.ocean.cli.base.CliContext;
import dev.ocean.cli.base.CliException;
import dev.ocean.cli.base.ExitCodes;
import dev.ocean.common.files.FileTrees;
import dev.ocean.common.files.PrivateFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Optional;

/**
 * The one-node cluster that {@code ocean up} starts on this machine: where its files live (under
 * {@code $XDG_DATA_HOME/ocean}) and the server and agent processes it started (pid files).
 *
 * <pre>
 * DATA/server/          ocean-server --data (database, logs, storage/)
 * DATA/agent/           ocean-agent --state-dir (node credential)
 * DATA/logs/*.log       what the programs print
 * DATA/*.pid            processes started by ocean up
 * DATA/admin-password   the admin's password, 0600
 * DATA/port             the port the server listens on
 * DATA/listen           the address it listens on (--listen)
 * DATA/build            the build id of the release the server was started from
 * </pre>
 */
final class LocalCluster {
  /** A program that {@code ocean up} runs: its launcher name and the class its JVM runs. */
  enum Program {
    SERVER("ocean-server", "dev.ocean.server.Main"),
    AGENT("ocean-agent", "dev.ocean.agent.Main");

    final String launcher;
    final String mainClass;

    Program(String launcher, String mainClass) {
      this.launcher = launcher;
      this.mainClass = mainClass;
    }
  }

  static final String ADMIN_EMAIL = "admin@localhost";
  static final String NODE_NAME = "local";

  private final Path data;

  LocalCluster(Path data) {
    this.data = data;
  }

  static LocalCluster locate(CliContext ctx) {
    String xdg = ctx.env("XDG_DATA_HOME");
    String home = ctx.env("HOME") != null ? ctx.env("HOME") : System.getProperty("user.home");
    Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(home, ".local", "share");
    return new LocalCluster(base.resolve("ocean").toAbsolutePath());
  }

  Path data() {
    return data;
  }

  Path serverData() {
    return data.resolve("server");
  }

  Path agentState() {
    return data.resolve("agent");
  }

  Path log(Program p) {
    return data.resolve("logs").resolve(p.launcher + ".log");
  }

  Path passwordFile() {
    return data.resolve("admin-password");
  }

  private Path pidFile(Program p) {
    return data.resolve(p.launcher + ".pid");
  }

  private Path portFile() {
    return data.resolve("port");
  }

  private Path listenFile() {
    return data.resolve("listen");
  }

  private Path buildFile() {
    return data.resolve("build");
  }

  /** Notes which release (its build id) the server now starts from. */
  void saveBuild(Path launcher) {
    String id = buildId(launcher);
    if (id != null) {
      write(buildFile(), id);
    }
  }

  /** Whether the running server was started from the release of {@code launcher} (or unknown). */
  boolean runsBuildOf(Path launcher) {
    String id = buildId(launcher);
    try {
      return id == null
          || !Files.isRegularFile(buildFile())
          || Files.readString(buildFile()).strip().equals(id);
    } catch (IOException e) {
      return true;
    }
  }

  private static String buildId(Path launcher) {
    Path file = launcher.getParent().resolveSibling("lib/cli/build-id");
    try {
      return Files.isRegularFile(file) ? Files.readString(file).strip() : null;
    } catch (IOException e) {
      return null;
    }
  }

  /** The runtime ({@code docker} or {@code process}) node local joined with; empty before. */
  Optional<String> joinedRuntime() {
    return agentConfig().map(c -> c.path("runtime").asText("")).filter(r -> !r.isEmpty());
  }

  /**
   * The Docker Engine API address node local's agent joined with, if it uses the docker runtime.
   */
  Optional<String> dockerHost() {
    return agentConfig()
        .filter(c -> "docker".equals(c.path("runtime").asText()))
        .map(c -> c.path("dockerHost").asText(""))
        .filter(h -> !h.isEmpty());
  }

  /** The account jobs run as when the joined agent uses the process runtime; else null. */
  String processRunAs() {
    return agentConfig()
        .filter(c -> "process".equals(c.path("runtime").asText()))
        .map(c -> c.path("runAs").asText(""))
        .map(r -> r.isEmpty() ? System.getProperty("user.name") : r)
        .orElse(null);
  }

  private Optional<com.fasterxml.jackson.databind.JsonNode> agentConfig() {
    Path file = agentState().resolve("agent.json");
    try {
      return Files.isRegularFile(file)
          ? Optional.of(dev.ocean.common.json.Json.newMapper().readTree(file.toFile()))
          : Optional.empty();
    } catch (IOException e) {
      return Optional.empty();
    }
  }

  /** What {@code --reset} deletes: everything ocean up created, nothing else in the folder. */
  private List<Path> created() {
    return List.of(
        serverData(),
        agentState(),
        data.resolve("logs"),
        passwordFile(),
        portFile(),
        listenFile(),
        buildFile(),
        pidFile(Program.SERVER),
        pidFile(Program.AGENT));
  }

  boolean exists() {
    return created().stream().anyMatch(Files::exists);
  }

  /** The running process this cluster started for {@code p}, if it still runs. */
  Optional<ProcessHandle> running(Program p) {
    Path file = pidFile(p);
    if (!Files.isRegularFile(file)) {
      return Optional.empty();
    }
    long pid;
    try {
      pid = Long.parseLong(Files.readString(file).strip());
    } catch (IOException | NumberFormatException e) {
      return Optional.empty();
    }
    // a pid file outliving its process may name an unrelated process that got the same pid
    return ProcessHandle.of(pid)
        .filter(Liveness::running)
        .filter(h -> h.info().commandLine().map(c -> c.contains(p.mainClass)).orElse(true));
  }

  /** The saved port, or {@code fallback} when none is saved yet. */
  int port(int fallback) {
    try {
      return Integer.parseInt(saved(portFile(), Integer.toString(fallback)));
    } catch (NumberFormatException e) {
      return fallback;
    }
  }

  void savePort(int port) {
    write(portFile(), Integer.toString(port));
  }

  /** The saved --listen address, or {@code fallback} when none is saved yet. */
  String listen(String fallback) {
    return saved(listenFile(), fallback);
  }

  void saveListen(String listen) {
    write(listenFile(), listen);
  }

  private static String saved(Path file, String fallback) {
    try {
      String text = Files.isRegularFile(file) ? Files.readString(file).strip() : "";
      return text.isEmpty() ? fallback : text;
    } catch (IOException e) {
      return fallback;
    }
  }

  /** The admin's saved password, or a new one saved 0600 before the server first sees it. */
  String adminPassword() {
    try {
      if (Files.isRegularFile(passwordFile())) {
        return Files.readString(passwordFile()).strip();
      }
      String password = Passwords.generate();
      PrivateFiles.directory(data);
      PrivateFiles.write(passwordFile(), (password + "\n").getBytes(StandardCharsets.UTF_8));
      return password;
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot keep the admin password: " + e.getMessage());
    }
  }

  /**
   * Starts {@code program} in the background, detached from this terminal, with its output appended
   * to its log and {@code stdin} (may be null) on its standard input.
   */
  Process start(Path launcher, Program program, List<String> args, String stdin) {
    Path exe = launcher.resolveSibling(program.launcher);
    if (!Files.isExecutable(exe)) {
      throw new CliException(
          ExitCodes.ERROR,
          "cannot find " + program.launcher + " next to " + launcher + "; install the release");
    }
    Path log = log(program);
    try {
      PrivateFiles.directory(data);
      PrivateFiles.directory(log.getParent());
      Process p = DetachedProcess.start(exe, args, log, stdin);
      write(pidFile(program), Long.toString(p.pid()));
      return p;
    } catch (IOException e) {
      throw new CliException(
          ExitCodes.ERROR, "cannot start " + program.launcher + ": " + e.getMessage());
    }
  }

  /** Stops what this cluster started for {@code p}: SIGTERM, then a bounded wait; its pid. */
  Optional<Long> stop(Program p) {
    Optional<ProcessHandle> handle = running(p);
    handle.ifPresent(h -> DetachedProcess.stop(h, p.launcher));
    try {
      Files.deleteIfExists(pidFile(p));
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return handle.map(ProcessHandle::pid);
  }

  /** Deletes what {@code ocean up} created; returns whether there was anything. */
  boolean delete() {
    boolean any = false;
    for (Path p : created()) {
      try {
        any |= FileTrees.delete(p);
      } catch (IOException e) {
        throw new CliException(ExitCodes.ERROR, "cannot delete " + p + ": " + e.getMessage());
      }
    }
    return any;
  }

  /** Pid and port files: 0600 in a 0700 folder, so no other user can point them elsewhere. */
  private static void write(Path file, String text) {
    try {
      PrivateFiles.directory(file.getParent());
      PrivateFiles.write(file, (text + "\n").getBytes(StandardCharsets.UTF_8));
    } catch (IOException e) {
      throw new CliException(ExitCodes.ERROR, "cannot write " + file + ": " + e.getMessage());
    }
  }
}
