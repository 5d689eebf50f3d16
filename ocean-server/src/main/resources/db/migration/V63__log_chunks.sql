-- Run logs in the database, used when servers share one PostgreSQL: any server appends and any
-- server's follower reads. A log is its chunks in byte order; start_offset is where each begins.
-- part 0 is the run's current attempt; a run started again keeps its earlier log as part
-- attempt + 1. SQLite servers keep logs as files (the table stays empty there).
CREATE TABLE log_chunks (
  job_id BIGINT NOT NULL,
  run_index INTEGER NOT NULL,
  part INTEGER NOT NULL,
  start_offset BIGINT NOT NULL,
  data ${blob} NOT NULL,
  PRIMARY KEY (job_id, run_index, part, start_offset)
);
