package dev.ocean.agent.daemon;

import dev.ocean.agent.facts.NodeFingerprint;
import dev.ocean.common.Version;
import dev.ocean.common.api.agent.AgentProtocol;
import dev.ocean.common.api.node.NodeFacts;
import dev.ocean.common.api.node.Registration;
import dev.ocean.common.client.OceanApiException;
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
    Registration registration =
        new Registration(
            req.token(),
            name,
            Version.VERSION,
            Version.AGENT_PROTOCOL,
            facts,
            fingerprint.metrics());
    Registration.Accepted accepted = register(req, registration);
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

  /** Times a registration the server refused as busy is sent again before the join fails. */
  static final int BUSY_TRIES = 10;

  /**
   * Registers, coming back when a busy server says (503 with {@code Retry-After}, with jitter; a
   * whole rack joining at once), up to {@link #BUSY_TRIES} times.
   */
  private static Registration.Accepted register(Request req, Registration registration) {
    var client = AgentDaemon.agentClient(req.server(), null, req.caCert());
    for (int attempt = 1; ; attempt++) {
      try {
        return client.postOnce(AgentProtocol.REGISTER, registration, Registration.Accepted.class);
      } catch (OceanApiException e) {
        var wait = RetryAfter.of(e);
        if (wait.isEmpty() || attempt >= BUSY_TRIES) {
          throw e;
        }
        try {
          Thread.sleep(wait.get());
        } catch (InterruptedException stop) {
          Thread.currentThread().interrupt();
          throw e;
        }
      }
    }
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
