package dev.ocean.agent.work;

import dev.ocean.common.api.instance.InstanceEndpoints;
import dev.ocean.common.api.instance.InstanceSpec;
import java.io.IOException;
import java.util.Optional;
import java.util.function.Function;

/**
 * Reaches an instance's SSH and editor ports through the host ports the runtime published them on
 * (on 127.0.0.1, so the node's firewall may close them to everyone else). Other ports need the
 * engine's exec and are refused with a sentence saying so.
 */
public final class PublishedPortOpener implements PortOpener {
  private final Function<String, Optional<InstanceEndpoints>> endpoints;

  /** {@code endpoints}: where a run's ports are published, as reported with its running report. */
  public PublishedPortOpener(Function<String, Optional<InstanceEndpoints>> endpoints) {
    this.endpoints = endpoints;
  }

  @Override
  public Connection open(String runId, int port) throws IOException {
    InstanceEndpoints e =
        endpoints
            .apply(runId)
            .orElseThrow(
                () -> new IOException("the instance's ports are not published on this node"));
    int hostPort;
    if (port == InstanceSpec.SSH_PORT) {
      hostPort = e.sshPort();
    } else if (port == InstanceSpec.EDITOR_PORT) {
      hostPort = e.editorPort();
    } else {
      throw new IOException(
          "this node reaches only ports "
              + InstanceSpec.SSH_PORT
              + " and "
              + InstanceSpec.EDITOR_PORT
              + " of an instance, not "
              + port);
    }
    return PortOpener.tcp("127.0.0.1", hostPort);
  }
}
