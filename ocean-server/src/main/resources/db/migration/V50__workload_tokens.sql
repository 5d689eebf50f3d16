-- Workload tokens: every job run and instance run gets one in OCEAN_TOKEN, so `ocean` inside works
-- for its owner with no login. Stored only as hashes; a token works only while its run attempt is
-- active (assigned or running) and is marked revoked once the run ended.
CREATE TABLE workload_tokens (
  id ${id_pk},
  user_id BIGINT NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  job_id BIGINT NOT NULL REFERENCES jobs(id),
  run_index INTEGER NOT NULL,
  attempt INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  revoked_at BIGINT
);
CREATE INDEX workload_tokens_run ON workload_tokens(job_id, run_index, attempt);
CREATE INDEX workload_tokens_live ON workload_tokens(revoked_at);

-- A job submitted with the workload token of an instance's run records that instance, so idle stop
-- sees that a job of its owner runs from it.
ALTER TABLE jobs ADD COLUMN instance_id BIGINT;
CREATE INDEX jobs_instance ON jobs(instance_id, state);
