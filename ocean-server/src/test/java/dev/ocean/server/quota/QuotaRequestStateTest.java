package dev.ocean.server.quota;

import static dev.ocean.server.quota.QuotaRequestState.APPROVED;
import static dev.ocean.server.quota.QuotaRequestState.CANCELLED;
import static dev.ocean.server.quota.QuotaRequestState.PENDING;
import static dev.ocean.server.quota.QuotaRequestState.REJECTED;
import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class QuotaRequestStateTest {
  /** Written out apart from the enum, so that changing the table is a visible decision. */
  private static final Set<List<QuotaRequestState>> ALLOWED =
      Set.of(List.of(PENDING, APPROVED), List.of(PENDING, REJECTED), List.of(PENDING, CANCELLED));

  @Test
  void onlyAPendingRequestCanBeDecidedAndEveryDecisionIsFinal() {
    for (QuotaRequestState from : QuotaRequestState.values()) {
      for (QuotaRequestState to : QuotaRequestState.values()) {
        assertEquals(
            ALLOWED.contains(List.of(from, to)), from.canTransitionTo(to), from + "->" + to);
      }
      assertEquals(from, QuotaRequestState.fromWireName(from.wireName()));
    }
  }

  @Test
  void aQuotaEndsOnceByExpiryOrRevocation() {
    for (QuotaState from : QuotaState.values()) {
      for (QuotaState to : QuotaState.values()) {
        boolean allowed =
            from == QuotaState.ACTIVE && (to == QuotaState.EXPIRED || to == QuotaState.REVOKED);
        assertEquals(allowed, from.canTransitionTo(to), from + "->" + to);
      }
      assertEquals(from, QuotaState.fromWireName(from.wireName()));
    }
  }
}
