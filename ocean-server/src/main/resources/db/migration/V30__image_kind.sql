-- Whether an image is a container image or the node's own host (process runtime), and which kind
-- each job was submitted with, so the scheduler places it on a node whose runtime can run it.
ALTER TABLE images ADD COLUMN kind TEXT NOT NULL DEFAULT 'container';
ALTER TABLE jobs ADD COLUMN image_kind TEXT NOT NULL DEFAULT 'container';
-- Where a run's volume was on its node (a host directory on process nodes), as its agent reported.
ALTER TABLE runs ADD COLUMN volume_dir TEXT;
-- Images registered before kinds existed with the quick start's host reference are host images.
UPDATE images SET kind = 'host' WHERE reference IN ('local/host', 'host');
UPDATE jobs SET image_kind = 'host' WHERE image_ref IN ('local/host', 'host');
