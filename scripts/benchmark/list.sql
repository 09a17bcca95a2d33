-- The backend's first page of GET /api/names: db.statements.list-names-after with after=0, limit=100+1.
\set after 0
SELECT id, name, created_at FROM names WHERE id > :after ORDER BY id LIMIT 101;
