package dev.ocean.server.scheduler;

/**
 * Why a pending run is not starting. The scheduler gives the first three; the others are for the
 * caller, which holds runs back before they ever reach the scheduler.
 */
public enum WaitReason {
  /** Some READY node could hold the run, but none has enough free now. */
  NO_NODE_FITS,
  /** No READY node could hold the run even when empty (wrong GPU model, too few GPUs, CPUs …). */
  NO_SUCH_CAPACITY,
  /** The run would fit now, but only on nodes held for earlier waiting runs. */
  RESERVED_FOR_EARLIER,
  /**
   * Caller's reason: the user's quota for the machine type is in use. Never set by the scheduler.
   */
  QUOTA,
  /** Caller's reason: the job already runs {@code parallel} runs. Never set by the scheduler. */
  PARALLEL_LIMIT
}
