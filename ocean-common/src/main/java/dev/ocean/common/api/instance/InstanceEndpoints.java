package dev.ocean.common.api.instance;

/**
 * Where users reach a running instance, as its agent reports it with the run's {@code running}
 * report: the node's advertised address, the host ports the container's SSH and editor ports are
 * published on, and the instance's SSH host public key (one OpenSSH line, {@code ssh-ed25519
 * AAAA…}), created by the init at the instance's first start and kept on its volume.
 *
 * @param hostKey null until sshd's key exists (the image has no sshd)
 */
public record InstanceEndpoints(String address, int sshPort, int editorPort, String hostKey) {}
