package dev.ocean.common.api.instance;

import java.util.List;

/**
 * What makes an assignment an instance rather than a job run: the agent starts the image's own
 * services through Ocean's init instead of a command, publishes {@link #SSH_PORT} and {@link
 * #EDITOR_PORT} on host ports from its range, mounts the volume at {@code /home/linuxbrew}, and
 * reports where users reach it ({@link InstanceEndpoints}) with the run's {@code running} report.
 *
 * @param name the instance's name, unique per owner
 * @param owner the owner's email, for messages and the default editor password
 * @param authorizedKeys the owner's SSH public keys, one OpenSSH line each, written to {@code
 *     /home/linuxbrew/.ssh/authorized_keys} at every start
 * @param editorPassword the code-server password written to {@code
 *     /home/linuxbrew/.code/config.yaml} only when that file does not exist yet
 */
public record InstanceSpec(
    String name, String owner, List<String> authorizedKeys, String editorPassword) {

  /** The container port of the instance's sshd. */
  public static final int SSH_PORT = 22;

  /** The container port of the instance's editor (code-server, or a stand-in in tests). */
  public static final int EDITOR_PORT = 8080;

  /** The user the instance's services run as, and the home on the volume. */
  public static final String USER = "linuxbrew";

  /** uid and gid of {@link #USER}, created by the init when the image lacks the user. */
  public static final int UID = 1000;

  public static final String HOME = "/home/linuxbrew";

  public InstanceSpec {
    authorizedKeys = authorizedKeys == null ? List.of() : List.copyOf(authorizedKeys);
  }
}
