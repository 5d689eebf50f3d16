package dev.ocean.server.job;

import dev.ocean.common.api.job.RunReports;
import dev.ocean.server.error.Invalid;

/**
 * Log bytes that came with an agent's report ({@link RunReports.Item#log}); {@code size} is the
 * log's size once they are stored. They are stored before the run moves (the end comes after its
 * whole log), and only while the run is active, as {@code POST runs/ID/logs} does: a log is closed
 * once its run ended.
 */
final class ReportedLog {
  final long offset;
  final byte[] bytes;
  Long size;

  private ReportedLog(long offset, byte[] bytes) {
    this.offset = offset;
    this.bytes = bytes;
  }

  /** The bytes of a report, checked; null when it carries none. */
  static ReportedLog of(Long offset, byte[] bytes) {
    if (bytes == null) {
      return null;
    }
    if (offset == null || offset < 0) {
      throw new Invalid("logOffset", "log bytes need the offset they start at, 0 or more");
    }
    if (bytes.length > RunReports.MAX_LOG) {
      throw new Invalid(
          "log", "at most " + RunReports.MAX_LOG + " log bytes per report; ship the rest alone");
    }
    return new ReportedLog(offset, bytes);
  }
}
