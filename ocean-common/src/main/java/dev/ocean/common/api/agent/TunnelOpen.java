package dev.ocean.common.api.agent;

/**
 * A request, handed to an agent in its work poll, to open one tunnel: the agent connects back to
 * the server at {@link AgentProtocol#tunnel(String)} (a WebSocket upgrade on the server's own port,
 * authenticated as the node) and splices it to {@code port} inside the run's container, so a user
 * reaches an instance with no route to the node.
 *
 * @param id the tunnel's one-time id, unguessable, valid for a few seconds
 * @param runId the instance's run ({@link RunId})
 * @param port the port inside the container (22 for SSH, any other for port-forward)
 */
public record TunnelOpen(String id, String runId, int port) {}
