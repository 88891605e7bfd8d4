-- A second wall between organisations: row-level security, which SQLite does
-- not have (one organisation's data is kept apart by the application's
-- filters alone there). Kept in step with ../postgres/20261207000026_org_wall.sql.
SELECT 1;
