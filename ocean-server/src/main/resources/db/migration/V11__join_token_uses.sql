-- Join tokens admit a limited number of nodes (one by default); tokens that already admitted a
-- node are used up.
ALTER TABLE join_tokens ADD COLUMN uses INTEGER NOT NULL DEFAULT 1;
ALTER TABLE join_tokens ADD COLUMN uses_left INTEGER NOT NULL DEFAULT 1;
UPDATE join_tokens SET uses_left = 0
  WHERE id IN (SELECT join_token_id FROM nodes WHERE join_token_id IS NOT NULL);
