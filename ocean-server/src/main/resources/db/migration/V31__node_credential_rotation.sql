-- Credential rotation: an admin asks for it, the next heartbeat hands the agent a new credential
-- (pending until the agent first uses it, so a lost answer never locks the node out).
ALTER TABLE nodes ADD COLUMN rotate_requested INTEGER NOT NULL DEFAULT 0;
ALTER TABLE nodes ADD COLUMN pending_credential_hash TEXT;
