package dev.ocean.common.api;

import java.time.Instant;

/**
 * A user's request for {@code count} of a machine type for {@code days}.
 *
 * @param state {@code pending}, {@code approved}, {@code rejected} or {@code cancelled}
 * @param quotaId the quota that approving it created
 */
public record QuotaRequest(
    long id,
    String user,
    String machineType,
    int count,
    int days,
    String reason,
    String state,
    String note,
    String decidedBy,
    Instant createdAt,
    Instant decidedAt,
    Long quotaId) {

  /** The body of {@code POST /api/v1/quota-requests}. */
  public record Create(String machineType, Integer count, Integer days, String reason) {}

  /** The body of approve and reject. */
  public record Decision(String note) {}
}
