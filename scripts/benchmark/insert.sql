-- The backend's POST /api/names: db.statements.insert-name, one autocommitted row per transaction.
\set n random(1, 1000000000)
INSERT INTO names (name) VALUES ('pgbench ' || :n) RETURNING id, name, created_at;
