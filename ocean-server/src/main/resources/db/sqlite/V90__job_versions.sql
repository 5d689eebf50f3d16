-- A job's version changes with every change to the job or to one of its runs, whoever makes it
-- (any statement, any server, a restore): GET /jobs reads (id, version) pairs and reuses the JSON
-- it wrote for a job whose version is unchanged, instead of reading and writing every column of
-- every job again. Triggers, not the code, keep it, so that no write path can forget it. A run
-- inserted into an existing job (an instance's next start) comes with an UPDATE of the job.
ALTER TABLE jobs ADD COLUMN version BIGINT NOT NULL DEFAULT 0;

CREATE TRIGGER runs_change_job_version AFTER UPDATE ON runs
BEGIN
  UPDATE jobs SET version = version + 1 WHERE id = NEW.job_id;
END;

-- recursive_triggers is off: the UPDATE below does not fire this trigger again
CREATE TRIGGER jobs_change_version AFTER UPDATE ON jobs WHEN NEW.version = OLD.version
BEGIN
  UPDATE jobs SET version = version + 1 WHERE id = NEW.id;
END;
