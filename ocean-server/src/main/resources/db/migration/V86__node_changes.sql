-- The scheduler read every node at each pass (a pass follows each submission): with thousands of
-- nodes that read led the server's profile. A pass now reads this one row and re-reads the nodes
-- only when it moved. It moves in the same transaction as every change that matters to placement
-- (a node registered, removed, drained, lost, back, or its facts changed), on whichever server.
CREATE TABLE node_changes (
  id INTEGER PRIMARY KEY,
  version BIGINT NOT NULL
);
INSERT INTO node_changes (id, version) VALUES (1, 0);
