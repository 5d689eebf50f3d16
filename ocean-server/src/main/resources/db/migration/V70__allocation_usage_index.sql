-- Quota admission sums the units a user holds of a machine type on every submission; with the
-- units in the index that sum reads the index alone, not one table row per held job.
CREATE INDEX allocations_user_type_units ON allocations(user_id, machine_type, units);
DROP INDEX allocations_user_type;
