-- Jobs may ask to be requeued when a node is lost under a run: how many times, and which
-- attempt each run is on.
ALTER TABLE jobs ADD COLUMN retries INTEGER NOT NULL DEFAULT 0;
ALTER TABLE runs ADD COLUMN attempt INTEGER NOT NULL DEFAULT 1;
