-- How many bytes of its log the server held when the run ended, written with the run's end (no
-- write per log chunk). A log that holds fewer bytes later was lost (a rescue backup without logs,
-- a file deleted behind the server's back), which GET .../logs then says instead of answering an
-- empty log. NULL: not known (a run still going, or one that ended before this column existed).
ALTER TABLE runs ADD COLUMN log_bytes BIGINT;
