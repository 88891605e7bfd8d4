-- The organisation's structure for workforce surveys (sqlite). Kept in step with ../postgres/20261206000017_workforce_structure.sql.

-- Departments and teams: a tree by `parent_id` (NULL: a top unit). Names
-- are unique within an organisation (the import files name units by name).
CREATE TABLE org_units (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    name TEXT NOT NULL,
    parent_id TEXT REFERENCES org_units(id),
    created_at INTEGER NOT NULL,
    UNIQUE (org_id, name)
);

-- Employees as the HR system lists them: where they belong, for survey
-- invitations and group results. `left_at`: no longer in the latest list.
-- Never joined to any answer (answers of anonymous waves carry no person).
CREATE TABLE employees (
    id TEXT PRIMARY KEY,
    org_id TEXT NOT NULL REFERENCES organisations(id) ON DELETE CASCADE,
    email TEXT NOT NULL,
    name TEXT NOT NULL,
    unit_id TEXT NOT NULL REFERENCES org_units(id),
    location TEXT,
    tenure_band TEXT,
    created_at INTEGER NOT NULL,
    updated_at INTEGER NOT NULL,
    left_at INTEGER,
    UNIQUE (org_id, email)
);
CREATE INDEX employees_unit ON employees (org_id, unit_id);
