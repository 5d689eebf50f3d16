-- Instances: personal dev environments. An instance's runs (one per start) live under a hidden job
-- of kind 'instance', so they queue FIFO with jobs' runs and reuse the agent protocol, logs,
-- cancellation (stop), node-loss handling and re-adoption. Jobs of kind 'instance' never show in
-- job lists.
ALTER TABLE jobs ADD COLUMN kind TEXT NOT NULL DEFAULT 'job';
CREATE INDEX jobs_kind ON jobs(kind, state);

CREATE TABLE instances (
  id ${id_pk},
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  job_id BIGINT NOT NULL REFERENCES jobs(id),
  -- pending | starting | running | stopped | failed | deleted (InstanceState's table)
  state TEXT NOT NULL,
  state_reason TEXT,
  -- where users reach it, as the agent reported with the current run's 'running' report
  address TEXT,
  ssh_port INTEGER,
  editor_port INTEGER,
  -- the instance's SSH host public key (one OpenSSH line); kept across stop/start
  host_key TEXT,
  created_at BIGINT NOT NULL,
  started_at BIGINT,
  stopped_at BIGINT,
  deleted_at BIGINT,
  -- idle stop: the owner's 'extend' pushes the idle deadline to this time (capped by the admin)
  extended_until BIGINT,
  -- last time a connection through the tunnel or to a published port carried traffic
  last_activity_at BIGINT
);
-- One live instance per owner and name; a deleted one frees its name.
CREATE UNIQUE INDEX instances_owner_name ON instances(user_id, name) WHERE deleted_at IS NULL;
CREATE INDEX instances_job ON instances(job_id);

CREATE TABLE ssh_keys (
  id ${id_pk},
  user_id BIGINT NOT NULL REFERENCES users(id),
  -- the key's comment or a name the user gave
  name TEXT NOT NULL,
  -- the whole OpenSSH public key line, validated
  public_key TEXT NOT NULL,
  fingerprint TEXT NOT NULL,
  created_at BIGINT NOT NULL
);
CREATE UNIQUE INDEX ssh_keys_user_fp ON ssh_keys(user_id, fingerprint);
