package dev.ocean.common.api.instance;

/**
 * Where users reach a running instance, as its agent reports it with the run's {@code running}
 * report: the node's advertised address, the host ports the container's SSH and editor ports are
 * published on, and the instance's SSH host public key (one OpenSSH line, {@code ssh-ed25519
 * AAAA…}), created by the init at the instance's first start and kept on its volume.
 *
 * @param hostKey null until sshd's key exists (the image has no sshd)
 * @param sshd whether the init started an sshd (the image has one); null until the init said
 * @param editor whether the init started code-server (the image has it); null until the init said
 */
public record InstanceEndpoints(
    String address, int sshPort, int editorPort, String hostKey, Boolean sshd, Boolean editor) {

  /** Whether the init has said which of sshd and code-server it started. */
  public boolean servicesKnown() {
    return sshd != null && editor != null;
  }
}
