-- Jobs and their runs. A job's id orders the FIFO queue (submission order).

CREATE TABLE jobs (
  id ${id_pk},
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  machine_type TEXT NOT NULL,
  cpus INTEGER NOT NULL,
  memory_gib INTEGER NOT NULL,
  gpus INTEGER NOT NULL,
  gpu_model TEXT,
  image_name TEXT NOT NULL,
  image_ref TEXT NOT NULL,
  volume_id BIGINT REFERENCES volumes(id),
  volume_name TEXT,
  volume_path TEXT,
  command_json TEXT NOT NULL,
  env_json TEXT NOT NULL,
  reason TEXT,
  repeat_count INTEGER NOT NULL,
  parallel INTEGER NOT NULL,
  state TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  finished_at BIGINT,
  exit_code INTEGER
);
CREATE INDEX jobs_user ON jobs(user_id, state);
CREATE INDEX jobs_state ON jobs(state);

CREATE TABLE runs (
  job_id BIGINT NOT NULL REFERENCES jobs(id),
  run_index INTEGER NOT NULL,
  state TEXT NOT NULL,
  node TEXT,
  gpus TEXT,
  created_at BIGINT NOT NULL,
  assigned_at BIGINT,
  started_at BIGINT,
  finished_at BIGINT,
  exit_code INTEGER,
  reason TEXT,
  -- set when the user cancels a run an agent holds; the agent stops it and reports
  cancel_requested_at BIGINT,
  PRIMARY KEY (job_id, run_index)
);
CREATE INDEX runs_state ON runs(state);
CREATE INDEX runs_node ON runs(node, state);
