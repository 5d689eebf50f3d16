package dev.ocean.agent.daemon;

import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.common.Version;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import java.nio.file.Path;
import java.util.Locale;

/** Registers this machine with a join token and stores the node credential it receives. */
public final class Joiner {
  private Joiner() {}

  /**
   * What {@code ocean-agent join} was asked for.
   *
   * @param caCert absolute path of extra certificates to trust, or null
   */
  public record Request(
      String server,
      String token,
      String name,
      String runtime,
      String dockerHost,
      String storage,
      Integer heartbeatSeconds,
      java.util.List<String> ulimits,
      String caCert,
      String runAs,
      String portRange,
      String advertiseAddress) {}

  public static AgentConfig join(Request req, Path stateDir, NodeFingerprint fingerprint) {
    AgentConfig.load(stateDir)
        .ifPresent(
            existing -> {
              throw new IllegalStateException(
                  "the state directory "
                      + stateDir
                      + " already belongs to node "
                      + existing.nodeName()
                      + "; use 'ocean-agent run --state-dir "
                      + stateDir
                      + "', or run 'ocean-agent leave --state-dir "
                      + stateDir
                      + "' first (it clears this directory even when the node was removed)");
            });
    NodeFacts facts =
        fingerprint
            .facts()
            .withRuntime(
                Agent.probe(req.runtime(), req.dockerHost(), req.runAs())
                    .withVolumeStorage(req.storage() != null));
    String name = req.name() != null ? req.name() : nodeName(facts.hostname());
    Registration.Accepted accepted =
        AgentDaemon.agentClient(req.server(), null, req.caCert())
            .post(
                AgentProtocol.REGISTER,
                new Registration(
                    req.token(),
                    name,
                    Version.VERSION,
                    Version.AGENT_PROTOCOL,
                    facts,
                    fingerprint.metrics()),
                Registration.Accepted.class);
    int heartbeat =
        req.heartbeatSeconds() != null ? req.heartbeatSeconds() : accepted.heartbeatSeconds();
    AgentConfig config =
        new AgentConfig(
            req.server(),
            accepted.nodeName(),
            accepted.credential(),
            req.runtime(),
            req.dockerHost(),
            req.storage(),
            heartbeat,
            req.ulimits(),
            req.caCert(),
            accepted.registration(),
            req.runAs(),
            req.portRange(),
            req.advertiseAddress());
    config.save(stateDir);
    return config;
  }

  /** A DNS-label node name from a host name. */
  static String nodeName(String hostname) {
    String base = hostname == null ? "node" : hostname.toLowerCase(Locale.ROOT);
    int dot = base.indexOf('.');
    if (dot > 0) {
      base = base.substring(0, dot);
    }
    base = base.replaceAll("[^a-z0-9-]", "-").replaceAll("^-+|-+$", "");
    if (base.length() > 63) {
      base = base.substring(0, 63).replaceAll("-+$", "");
    }
    return base.isEmpty() ? "node" : base;
  }
}
