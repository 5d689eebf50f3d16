-- Nodes and the join tokens that admit them. Credentials and tokens are stored only as hashes.

CREATE TABLE join_tokens (
  id ${id_pk},
  token_hash TEXT NOT NULL UNIQUE,
  created_by BIGINT NOT NULL REFERENCES users(id),
  created_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  revoked_at BIGINT
);

CREATE TABLE nodes (
  id ${id_pk},
  name TEXT NOT NULL UNIQUE,
  state TEXT NOT NULL,
  credential_hash TEXT NOT NULL UNIQUE,
  agent_version TEXT,
  cpus INTEGER NOT NULL,
  memory_bytes BIGINT NOT NULL,
  gpus INTEGER NOT NULL,
  gpu_model TEXT,
  facts_json TEXT NOT NULL,
  registered_at BIGINT NOT NULL,
  last_seen_at BIGINT NOT NULL,
  -- what the admin wants (ready or draining); a lost node that returns goes back to it
  desired TEXT NOT NULL,
  join_token_id BIGINT REFERENCES join_tokens(id)
);
