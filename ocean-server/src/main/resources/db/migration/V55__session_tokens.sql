-- Browser sessions of the web UI are API tokens of their own kind: 'api' for the CLI's tokens,
-- 'session' for the HttpOnly cookie the web UI logs in with (so a list can tell them apart).
ALTER TABLE api_tokens ADD COLUMN kind TEXT NOT NULL DEFAULT 'api';
