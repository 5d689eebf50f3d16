package dev.ocean.agent.runtime.process;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.UserPrincipal;
import java.nio.file.attribute.UserPrincipalNotFoundException;
import java.util.List;

/**
 * Which account the process runtime runs jobs as, so a job can never read the agent's credential or
 * act as root by accident: an unprivileged account named with {@code --run-as} (the agent runs as
 * root and drops to it with {@code setpriv}), the agent's own account when that is not root, or
 * root only when {@code --run-as root} says so. Anything else is a refusal that the node reports.
 *
 * @param user the account to switch to, or null to keep the agent's own
 * @param group the numeric id of {@code user}'s primary group, or null with it
 * @param refusal why no job may start, or null
 */
public record RunAs(String user, String group, String refusal) {
  private static final String SETPRIV =
      Files.isExecutable(Path.of("/usr/bin/setpriv")) ? "/usr/bin/setpriv" : "setpriv";

  /** Runs jobs as the agent's own account, whatever it is (tests, explicit choices). */
  public static RunAs agentUser() {
    return new RunAs(null, null, null);
  }

  /**
   * What {@code --run-as requested} (null when not given) means for an agent running as {@code me}.
   */
  public static RunAs of(String requested, String me) {
    boolean root = "root".equals(me);
    if (requested == null || requested.isBlank()) {
      return root
          ? new RunAs(
              null,
              null,
              "the agent runs as root and jobs would too; join or run it with --run-as USER (an"
                  + " unprivileged account), or --run-as root to allow it")
          : agentUser();
    }
    if (requested.equals(me)) {
      return agentUser();
    }
    if (!root) {
      return new RunAs(
          null, null, "--run-as " + requested + " needs the agent to run as root, not as " + me);
    }
    String group = primaryGroup(requested);
    if (group == null) {
      return new RunAs(null, null, "--run-as " + requested + ": no such account on this node");
    }
    return new RunAs(requested, group, null);
  }

  /** The numeric primary group of {@code user} as {@code id -g} says, or null without one. */
  private static String primaryGroup(String user) {
    if (!user.matches("[A-Za-z0-9_][A-Za-z0-9_.-]{0,31}")) {
      return null;
    }
    try {
      Process id =
          new ProcessBuilder("id", "-g", "--", user)
              .redirectError(ProcessBuilder.Redirect.DISCARD)
              .start();
      String out = new String(id.getInputStream().readAllBytes()).strip();
      return id.waitFor() == 0 && out.matches("\\d+") ? out : null;
    } catch (IOException e) {
      return null;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return null;
    }
  }

  /** The account this JVM runs as. */
  public static String me() {
    return System.getProperty("user.name");
  }

  /** The argv prefix that switches to {@link #user} before the job's program runs. */
  List<String> prefix() {
    return user == null
        ? List.of()
        : List.of(SETPRIV, "--reuid=" + user, "--regid=" + group, "--init-groups", "--");
  }

  /** Gives a directory the job must write in (scratch HOME, a new volume) to the job's account. */
  void own(Path dir) throws IOException {
    if (user == null) {
      return;
    }
    try {
      UserPrincipal principal =
          dir.getFileSystem().getUserPrincipalLookupService().lookupPrincipalByName(user);
      Files.setOwner(dir, principal);
    } catch (UserPrincipalNotFoundException e) {
      throw new IOException("no account named " + user + " on this node (--run-as)", e);
    }
  }
}
