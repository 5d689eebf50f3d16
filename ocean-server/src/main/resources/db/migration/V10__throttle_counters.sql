-- Failed logins (per account, per address, per account+address pair) and signups per address,
-- kept across restarts so that restarting the server does not reset a guessing attacker.
CREATE TABLE throttle_counters (
  subject TEXT PRIMARY KEY,
  hits INTEGER NOT NULL,
  first_at BIGINT NOT NULL,
  last_at BIGINT NOT NULL
);
