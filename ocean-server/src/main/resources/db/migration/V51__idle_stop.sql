-- Idle stop per machine type (off while null): an instance whose GPUs, connections and jobs are all
-- idle for idle_stop_hours is stopped; its owner may extend up to idle_extend_max_hours from now
-- (null: the idle_stop_hours value).
ALTER TABLE machine_types ADD COLUMN idle_stop_hours INTEGER;
ALTER TABLE machine_types ADD COLUMN idle_extend_max_hours INTEGER;

-- The last time one of the instance's GPUs was seen above the idle threshold, kept by the idle
-- sweep (heartbeat history is held only for an hour, idle periods last longer).
ALTER TABLE instances ADD COLUMN gpu_busy_at BIGINT;
