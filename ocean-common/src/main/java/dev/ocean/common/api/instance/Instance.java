package dev.ocean.common.api.instance;

import java.time.Instant;
import java.util.List;

/**
 * A personal dev environment as the API shows it ({@code GET /api/v1/instances[/NAME]}).
 *
 * <p>Routes: {@code GET|POST /api/v1/instances} (list, {@code ?all=true} for admins; create),
 * {@code GET|DELETE /api/v1/instances/{name}}, {@code POST
 * /api/v1/instances/{name}/stop|start|extend}, {@code GET
 * /api/v1/instances/{name}/logs?offset&follow}, and the tunnel {@code GET
 * /api/v1/instances/{name}/tunnel?port=P} (WebSocket). Admins name another user's instance with
 * {@code ?user=EMAIL}.
 *
 * @param state {@code pending}, {@code starting}, {@code running}, {@code stopped}, {@code failed}
 * @param stateReason why it is in this state (why it waits, why it stopped or failed), or null
 * @param queuePosition while pending: its place in the FIFO queue, 1 first; else null
 * @param node the node it runs (or last ran) on, or null
 * @param gpus the GPU indices it holds on that node
 * @param sshCommand while running: {@code ssh -p PORT linuxbrew@ADDRESS}, else null
 * @param editorUrl while running: {@code http://ADDRESS:PORT/}, else null
 * @param hostKey the instance's SSH host public key, once its first start reported it
 * @param idle the idle-stop outlook, or null when its machine type has no idle stop
 * @param holdsQuota always true until deleted: an instance holds one unit of its machine type, also
 *     while stopped
 */
public record Instance(
    String name,
    String user,
    String machineType,
    String image,
    String volume,
    String reason,
    String state,
    String stateReason,
    Integer queuePosition,
    String node,
    List<Integer> gpus,
    String address,
    Integer sshPort,
    Integer editorPort,
    String sshCommand,
    String editorUrl,
    String hostKey,
    Instant createdAt,
    Instant startedAt,
    Instant stoppedAt,
    IdleOutlook idle,
    boolean holdsQuota) {

  /**
   * When an idle instance would be stopped and why: {@code stopsAt} null while it is not idle;
   * {@code summary} a sentence such as {@code "stops in 42 min: GPU 0 % for 3 h, no connection
   * since 14:02"} or {@code "not idle: SSH connection active"}.
   */
  public record IdleOutlook(
      Instant stopsAt, String summary, Instant extendedUntil, Instant extendCap) {}

  /** The body of {@code POST /api/v1/instances}. */
  public record Create(
      String name, String machineType, String image, String volume, String reason) {

    @com.fasterxml.jackson.annotation.JsonCreator
    public Create {}
  }
}
