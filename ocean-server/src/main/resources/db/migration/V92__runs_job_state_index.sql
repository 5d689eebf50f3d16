-- A job's runs by state: settling a job after each report counts its runs by state, and its
-- pending runs are read by the scheduler; with thousands of runs per job (--repeat, arrays) the
-- primary key made each count a scan of every run of the job.
CREATE INDEX runs_job_state ON runs(job_id, state);
