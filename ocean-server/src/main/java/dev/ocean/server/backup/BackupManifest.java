package dev.ocean.server.backup;

/**
 * What a backup directory holds, written last as {@code ocean-backup.json}: a directory without it
 * is an unfinished backup and is never restored.
 *
 * @param format layout version of the backup directory
 * @param version the Ocean release that took it
 * @param takenAt when the database snapshot was taken (epoch millis)
 * @param database {@code sqlite} (the snapshot is {@code ocean.db}) or {@code postgresql} (not
 *     included: back it up with {@code pg_dump})
 * @param jobs jobs in the snapshot
 * @param logBytes bytes of run logs copied
 * @param runLogsLost started runs whose log could not be saved because the server's log directory
 *     was gone (its data directory deleted under it); null in backups taken before it was counted
 */
public record BackupManifest(
    int format,
    String version,
    long takenAt,
    String database,
    int jobs,
    long logBytes,
    Integer runLogsLost) {
  public static final String FILE = "ocean-backup.json";
  public static final String DATABASE_FILE = "ocean.db";
  public static final String LOGS = "logs";
  public static final int FORMAT = 1;
}
