-- Foundation schema. Portable across SQLite and PostgreSQL: times are epoch milliseconds (BIGINT),
-- identity columns come from the ${id_pk} placeholder, booleans are avoided.

CREATE TABLE users (
  id ${id_pk},
  email TEXT NOT NULL,
  email_lower TEXT NOT NULL UNIQUE,
  password_hash TEXT NOT NULL,
  role TEXT NOT NULL,
  status TEXT NOT NULL,
  lock_version BIGINT NOT NULL DEFAULT 0,
  created_at BIGINT NOT NULL
);

CREATE TABLE api_tokens (
  id ${id_pk},
  user_id BIGINT NOT NULL REFERENCES users(id),
  token_hash TEXT NOT NULL UNIQUE,
  created_at BIGINT NOT NULL,
  last_used_at BIGINT,
  revoked_at BIGINT
);

CREATE TABLE machine_types (
  name TEXT PRIMARY KEY,
  cpus INTEGER NOT NULL,
  memory_gib INTEGER NOT NULL,
  gpus INTEGER NOT NULL,
  gpu_model TEXT,
  created_at BIGINT NOT NULL
);

CREATE TABLE images (
  name TEXT PRIMARY KEY,
  reference TEXT NOT NULL,
  description TEXT,
  created_at BIGINT NOT NULL
);

CREATE TABLE quota_requests (
  id ${id_pk},
  user_id BIGINT NOT NULL REFERENCES users(id),
  machine_type TEXT NOT NULL,
  count INTEGER NOT NULL,
  days INTEGER NOT NULL,
  reason TEXT NOT NULL,
  state TEXT NOT NULL,
  note TEXT,
  decided_by BIGINT REFERENCES users(id),
  created_at BIGINT NOT NULL,
  decided_at BIGINT,
  quota_id BIGINT
);
CREATE INDEX quota_requests_user ON quota_requests(user_id, state);

CREATE TABLE quotas (
  id ${id_pk},
  user_id BIGINT NOT NULL REFERENCES users(id),
  machine_type TEXT NOT NULL,
  count INTEGER NOT NULL,
  state TEXT NOT NULL,
  granted_at BIGINT NOT NULL,
  expires_at BIGINT NOT NULL,
  granted_by BIGINT REFERENCES users(id),
  request_id BIGINT,
  ended_at BIGINT
);
CREATE INDEX quotas_user_type ON quotas(user_id, machine_type, state);

-- Units of a machine type a user holds now: one row per job or instance (or reservation).
CREATE TABLE allocations (
  id ${id_pk},
  user_id BIGINT NOT NULL REFERENCES users(id),
  machine_type TEXT NOT NULL,
  units INTEGER NOT NULL,
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (kind, ref)
);
CREATE INDEX allocations_user_type ON allocations(user_id, machine_type);

CREATE TABLE volumes (
  id ${id_pk},
  user_id BIGINT NOT NULL REFERENCES users(id),
  name TEXT NOT NULL,
  size_gib INTEGER NOT NULL,
  created_at BIGINT NOT NULL,
  UNIQUE (user_id, name)
);

-- Who holds a volume now (a job or an instance); a claimed volume cannot be deleted.
CREATE TABLE volume_claims (
  volume_id BIGINT NOT NULL REFERENCES volumes(id),
  kind TEXT NOT NULL,
  ref TEXT NOT NULL,
  PRIMARY KEY (volume_id, kind, ref)
);

CREATE TABLE audit_log (
  id ${id_pk},
  at BIGINT NOT NULL,
  actor TEXT NOT NULL,
  action TEXT NOT NULL,
  resource TEXT NOT NULL,
  detail TEXT
);
